using System.Diagnostics;
using System.Reflection;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>
/// Coexistence with other modules' MSAL, and lazy loading, checked in fresh processes that, like pwsh, do not have the
/// engine on their load path (this test process does, for the engine's unit tests).
/// </summary>
public sealed class IsolationTests
{
    private static readonly string Probe =
        typeof(IsolationTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "IsolationProbe").Value!;

    [Theory]
    [InlineData("other-msal-first")]
    [InlineData("module-first")]
    public async Task The_module_signs_in_through_its_own_MSAL_while_another_version_serves_its_own_caller(string scenario)
    {
        var output = await RunProbe(scenario);

        Assert.Contains("ok two MSALs live side by side", output, StringComparison.Ordinal);
        Assert.Contains("ok the other MSAL is in the default context", output, StringComparison.Ordinal);
        Assert.Contains("ok the module's MSAL is in its own context", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_and_an_access_token_connection_load_no_MSAL_and_the_module_can_be_removed_and_imported_again()
    {
        var output = await RunProbe("lazy");

        Assert.Contains("ok Import-Module loads no MSAL", output, StringComparison.Ordinal);
        Assert.Contains("ok a connection by access token, and its requests, load no MSAL", output, StringComparison.Ordinal);
        Assert.Contains("ok the engine runs in the module's own load context", output, StringComparison.Ordinal);
        Assert.Contains("ok objects from the engine bind by property name and filter with Where-Object", output, StringComparison.Ordinal);
        Assert.Contains("ok output formats with the module's table view", output, StringComparison.Ordinal);
        Assert.Contains("ok Remove-Module then Import-Module in the same session works", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_resolver_of_Windows_PowerShell_answers_only_its_own_files_within_the_rule()
    {
        var output = await RunProbe("desktop-resolver");

        Assert.Contains("ok the engine is answered from Dependencies/Desktop", output, StringComparison.Ordinal);
        Assert.Contains("ok another caller's request within the shipped file's major, at most its version, is answered", output, StringComparison.Ordinal);
        Assert.Contains("ok another caller's request for a higher major is not answered", output, StringComparison.Ordinal);
        Assert.Contains("ok a request for a higher version than shipped is not answered", output, StringComparison.Ordinal);
        Assert.Contains("ok a request for another strong name is not answered", output, StringComparison.Ordinal);
        Assert.Contains("ok a name the module does not ship is not answered", output, StringComparison.Ordinal);
    }

    private static async Task<string> RunProbe(string scenario)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Probe);
        start.ArgumentList.Add(scenario);
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, output);
        Assert.Contains("PASS " + scenario, output, StringComparison.Ordinal);
        return output;
    }
}
