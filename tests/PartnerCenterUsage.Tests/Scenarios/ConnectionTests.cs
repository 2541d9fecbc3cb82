using System.Management.Automation;
using PartnerCenterUsage.Runner;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>Connect-PCPartner, Get-PCContext and Disconnect-PCPartner: one connection per runspace, never showing the token.</summary>
public sealed class ConnectionTests
{
    private const string ContextTypeName = "PartnerCenterUsage.Models.PartnerContext";

    [Fact]
    public async Task Connect_with_a_plain_string_token_writes_the_context_and_the_next_call_uses_the_token()
    {
        await using var scenario = await ModuleScenario.StartAsync(connect: false);

        var context = Assert.Single(scenario.Run(
            "Connect-PCPartner -AccessToken $args[0] -Endpoint $args[1]", SimulatorOptions.DefaultToken, scenario.Simulator.BaseAddress).Output);
        var rows = scenario.Run("Get-PCCustomerLicenseUsage $args[0]", SimulatorOptions.SeedCustomerId).Output;

        Assert.Equal(ContextTypeName, context.TypeName());
        Assert.Equal("Global", context.Prop("Environment")!.ToString());
        Assert.Equal(scenario.Simulator.BaseAddress, context.Prop<Uri>("ApiEndpoint"));
        Assert.Equal("AccessToken", context.Prop("SignInKind")!.ToString());
        Assert.Equal(5, rows.Count);
        Assert.Equal("Bearer " + SimulatorOptions.DefaultToken, scenario.Simulator.Requests.Snapshot().Single().Header("Authorization"));
    }

    [Fact]
    public async Task Connect_accepts_a_SecureString_token()
    {
        await using var scenario = await ModuleScenario.StartAsync(connect: false);

        scenario.Run(
            "Connect-PCPartner -AccessToken ([System.Net.NetworkCredential]::new('', $args[0]).SecurePassword) -Endpoint $args[1] | Out-Null",
            SimulatorOptions.DefaultToken, scenario.Simulator.BaseAddress);
        var result = scenario.Run("Get-PCCustomerLicenseUsage $args[0]", SimulatorOptions.SeedCustomerId);

        Assert.Empty(result.Errors);
        Assert.Equal(5, result.Output.Count);
    }

    [Fact]
    public async Task The_context_shows_account_tenant_expiry_and_MFA_read_from_a_JWT()
    {
        await using var scenario = await ModuleScenario.StartAsync(connect: false);
        var expires = DateTimeOffset.UtcNow.AddHours(1);
        var tenant = Guid.NewGuid();
        var token = TestTokens.User(new DateTimeOffset(expires.Year, expires.Month, expires.Day, expires.Hour, expires.Minute, expires.Second, TimeSpan.Zero), tenantId: tenant);

        var result = scenario.Run("Connect-PCPartner -AccessToken $args[0] -Endpoint $args[1]", token, scenario.Simulator.BaseAddress);

        var context = Assert.Single(result.Output);
        Assert.Empty(result.Warnings);
        Assert.Equal("admin@contoso-partner.onmicrosoft.com", context.Prop("Account"));
        Assert.Equal(tenant, context.Prop<Guid>("TenantId"));
        Assert.Equal(expires.ToUnixTimeSeconds(), context.Prop<DateTimeOffset>("TokenExpiresOn").ToUnixTimeSeconds());
        Assert.Equal(true, context.Prop("MfaAuthenticated"));
    }

    [Fact]
    public async Task Connect_warns_about_an_expired_token_and_a_token_without_MFA()
    {
        await using var scenario = await ModuleScenario.StartAsync(connect: false);
        var token = TestTokens.User(DateTimeOffset.UtcNow.AddMinutes(-5), amr: ["pwd"]);

        var result = scenario.Run("Connect-PCPartner -AccessToken $args[0] -Endpoint $args[1]", token, scenario.Simulator.BaseAddress);

        Assert.Single(result.Output);
        Assert.Contains(result.Warnings, w => w.Contains("expired", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("multi-factor", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://partner.example.com")]
    [InlineData("http://10.0.0.5:8080")]
    [InlineData("ftp://127.0.0.1")]
    public async Task An_endpoint_that_is_not_https_or_loopback_http_is_refused_and_nothing_is_connected(string endpoint)
    {
        await using var scenario = await ModuleScenario.StartAsync(connect: false);

        var error = scenario.RunTerminating("Connect-PCPartner -AccessToken 'token' -Endpoint $args[0]", endpoint);

        Assert.StartsWith("InvalidEndpoint,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Empty(scenario.Run("Get-PCContext").Output);
    }

    [Theory]
    [InlineData(null, null, "https://api.partnercenter.microsoft.com/")]
    [InlineData("China", null, "https://partner.partnercenterapi.microsoftonline.cn/")]
    [InlineData("USGovernment", null, "https://api.partnercenter.microsoft.com/")]
    [InlineData(null, "https://pc.contoso.example/partner", "https://pc.contoso.example/partner/")]
    [InlineData(null, "http://localhost:5980", "http://localhost:5980/")]
    [InlineData(null, "http://[::1]:5980/", "http://[::1]:5980/")]
    public async Task The_environment_chooses_the_endpoint_unless_one_is_given(string? environment, string? endpoint, string expected)
    {
        await using var scenario = await ModuleScenario.StartAsync(connect: false);
        var parameters = (environment is null ? string.Empty : $" -Environment {environment}") + (endpoint is null ? string.Empty : $" -Endpoint '{endpoint}'");

        var context = Assert.Single(scenario.Run("Connect-PCPartner -AccessToken 'token'" + parameters).Output);

        Assert.Equal(new Uri(expected), context.Prop<Uri>("ApiEndpoint"));
        Assert.Equal(environment ?? "Global", context.Prop("Environment")!.ToString());
    }

    [Theory]
    [InlineData("''")]
    [InlineData("'   '")]
    [InlineData("'two words'")]
    [InlineData("\"abc`0def\"")]
    [InlineData("([System.Net.NetworkCredential]::new('', \"abc`0def\").SecurePassword)")]
    [InlineData("\"abc`0\"")]
    public async Task A_token_that_cannot_be_one_is_InvalidAccessToken(string literal)
    {
        await using var scenario = await ModuleScenario.StartAsync(connect: false);

        var error = scenario.RunTerminating($"Connect-PCPartner -AccessToken {literal} -Endpoint $args[0]", scenario.Simulator.BaseAddress);

        Assert.StartsWith("InvalidAccessToken,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Empty(scenario.Run("Get-PCContext").Output);
    }

    [Fact]
    public async Task MaxRetryCount_and_RetryDelay_set_the_retries_of_the_connection()
    {
        await using var scenario = await ModuleScenario.StartAsync(connect: false);
        scenario.Run("Connect-PCPartner -AccessToken $args[0] -Endpoint $args[1] -MaxRetryCount 2 -RetryDelay 00:00:00.001 | Out-Null",
            SimulatorOptions.DefaultToken, scenario.Simulator.BaseAddress);
        scenario.Simulator.Faults.Add(InjectedFault.Error(503, "503", "Service unavailable."));

        var result = scenario.Run("Get-PCCustomerLicenseUsage $args[0]", SimulatorOptions.SeedCustomerId);

        Assert.Contains("Gave up after 3 attempts", Assert.Single(result.Errors).ToString(), StringComparison.Ordinal);
        Assert.Equal(3, scenario.Simulator.Requests.Snapshot().Count);
    }

    [Fact]
    public async Task Get_PCContext_returns_the_connection_and_Disconnect_removes_it()
    {
        await using var scenario = await ModuleScenario.StartAsync();

        var before = Assert.Single(scenario.Run("Get-PCContext").Output);
        scenario.Run("Disconnect-PCPartner");
        var after = scenario.Run("Get-PCContext").Output;
        var error = scenario.RunTerminating("Get-PCCustomerLicenseUsage $args[0]", SimulatorOptions.SeedCustomerId);

        Assert.Equal(scenario.Simulator.BaseAddress, before.Prop<Uri>("ApiEndpoint"));
        Assert.Empty(after);
        Assert.StartsWith("NotConnected,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connecting_again_replaces_the_connection()
    {
        await using var scenario = await ModuleScenario.StartAsync();
        await using var other = await PartnerCenterSimulator.StartAsync();

        scenario.Run("Connect-PCPartner -AccessToken $args[0] -Endpoint $args[1] | Out-Null", SimulatorOptions.DefaultToken, other.BaseAddress);
        scenario.Run("Get-PCCustomerLicenseUsage $args[0] | Out-Null", SimulatorOptions.SeedCustomerId);

        Assert.Empty(scenario.Simulator.Requests.Snapshot());
        Assert.Single(other.Requests.Snapshot());
    }

    [Fact]
    public async Task A_connection_belongs_to_its_runspace_only()
    {
        await using var scenario = await ModuleScenario.StartAsync();
        using var otherRunspace = new HostedPowerShell();

        var here = scenario.Run("Get-PCCustomerLicenseUsage $args[0]", SimulatorOptions.SeedCustomerId);
        var thereContext = otherRunspace.Invoke("Get-PCContext").Output;
        var thereError = otherRunspace.InvokeTerminating("Get-PCCustomerLicenseUsage $args[0]", SimulatorOptions.SeedCustomerId);

        Assert.Equal(5, here.Output.Count);
        Assert.Empty(thereContext);
        Assert.StartsWith("NotConnected,", thereError.FullyQualifiedErrorId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_connection_is_not_a_variable_of_the_session()
    {
        await using var scenario = await ModuleScenario.StartAsync();

        var variables = scenario.Run("Get-Variable | ForEach-Object { $_.Value }").Objects;

        Assert.DoesNotContain(variables, v => v.GetType().Namespace?.StartsWith("PartnerCenterUsage", StringComparison.Ordinal) == true);
    }
}
