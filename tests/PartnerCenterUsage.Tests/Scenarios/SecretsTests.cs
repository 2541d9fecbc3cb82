using System.Text;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>The token never appears in any stream, error, written object or rendered view.</summary>
public sealed class SecretsTests
{
    [Fact]
    public async Task With_Verbose_and_Debug_the_token_appears_in_no_stream_error_object_or_view()
    {
        var token = "sEcReT-" + Guid.NewGuid().ToString("N");
        var options = new SimulatorOptions();
        options.AcceptedTokens.Clear();
        options.AcceptedTokens.Add(token);
        await using var scenario = await ModuleScenario.StartAsync(options, connect: false);
        var seen = new StringBuilder();

        var runs = new[]
        {
            scenario.Run("Connect-PCPartner -AccessToken $args[0] -Endpoint $args[1] -Verbose -Debug", token, scenario.Simulator.BaseAddress),
            scenario.Run("Get-PCContext -Verbose -Debug"),
            scenario.Run("$DebugPreference = 'Continue'; Get-PCCustomerLicenseUsage $args[0] -Verbose -Debug", SimulatorOptions.SeedCustomerId),
            scenario.Run("Get-PCCustomerLicenseUsage $args[0] -Verbose -Debug", Guid.NewGuid()),
            scenario.Run("Get-PCContext | Out-Default; Get-PCCustomerLicenseUsage $args[0] | Out-Default", SimulatorOptions.SeedCustomerId),
            scenario.Run("Get-PCCustomerLicenseUsage $args[0] -Verbose -Debug 2>&1 | Out-Default", Guid.NewGuid()),
        };

        seen.Append(runs.VisibleText());
        seen.AppendLine(scenario.Shell.ConsoleText);
        Assert.Contains(runs, r => r.Verbose.Count > 0);
        Assert.Contains(runs, r => r.Debug.Count > 0);
        Assert.Contains(runs, r => r.Errors.Count > 0);
        Assert.Contains("CustomerName", scenario.Shell.ConsoleText, StringComparison.Ordinal);
        Assert.DoesNotContain(token, seen.ToString(), StringComparison.Ordinal);
        Assert.All(scenario.Simulator.Requests.Snapshot(), r => Assert.Equal("Bearer " + token, r.Header("Authorization")));
    }

    [Fact]
    public async Task A_refused_token_is_not_echoed_in_the_error()
    {
        var token = "wrong-" + Guid.NewGuid().ToString("N");
        await using var scenario = await ModuleScenario.StartAsync(connect: false);
        scenario.Run("Connect-PCPartner -AccessToken $args[0] -Endpoint $args[1] | Out-Null", token, scenario.Simulator.BaseAddress);

        var result = scenario.Run("Get-PCCustomerLicenseUsage $args[0] -Verbose -Debug", SimulatorOptions.SeedCustomerId);

        var error = Assert.Single(result.Errors);
        Assert.DoesNotContain(token, error.ToString() + error.Exception + string.Join('\n', result.Verbose.Concat(result.Debug)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_verbose_stream_logs_each_call_with_method_path_status_and_request_id()
    {
        await using var scenario = await ModuleScenario.StartAsync();

        var result = scenario.Run("Get-PCCustomerLicenseUsage $args[0] -Verbose", SimulatorOptions.SeedCustomerId);

        var requestId = scenario.Simulator.Requests.Snapshot().Single().Header("MS-RequestId")!;
        var line = Assert.Single(result.Verbose, v => v.Contains(requestId, StringComparison.Ordinal));
        Assert.StartsWith($"GET /v1/customers/{SimulatorOptions.SeedCustomerId}/analytics/licenses/usage -> 200", line, StringComparison.Ordinal);
    }
}
