using System.Globalization;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using PartnerCenterUsage.Runner;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>Connect-PCPartner signing in through MSAL against the simulator's identity provider, in real pipelines.</summary>
public sealed class SignInTests
{
    private const string SecretConnect =
        "Connect-PCPartner -ApplicationId $args[0] -Credential ([pscredential]::new($args[0], [System.Net.NetworkCredential]::new('', $args[1]).SecurePassword)) " +
        "-RefreshToken $args[2] -Endpoint $args[3] -Authority $args[4] -AuthorityCertificate $args[5]";

    private static object[] SecretArguments(SignInWorld world, string refreshToken) =>
        [SignInWorld.PartnerAppId, world.AppSecret, refreshToken, world.Api.BaseAddress, world.Idp.AuthorityHost, world.Idp.Certificate];

    [Fact]
    public async Task Device_code_sign_in_shows_the_code_before_waiting_and_connects_when_the_user_approves()
    {
        await using var world = await SignInWorld.StartAsync();
        using var shell = new HostedPowerShell();
        using var connect = shell.Begin("Connect-PCPartner -UseDeviceAuthentication -Endpoint $args[0] -Authority $args[1] -AuthorityCertificate $args[2]",
            world.Api.BaseAddress, world.Idp.AuthorityHost, world.Idp.Certificate);
        var prompt = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        connect.Streams.Information.DataAdded += (sender, e) => prompt.TrySetResult(((PSDataCollection<InformationRecord>)sender!)[e.Index].MessageData.ToString()!);

        var running = connect.BeginInvoke();
        var userCode = await world.Idp.WaitForDeviceCodeAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        var message = await prompt.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(running.IsCompleted);
        world.Idp.ApproveDeviceCode(userCode, IdentityProviderSimulator.PartnerA);
        var context = Assert.Single(await Task.Factory.FromAsync(running, connect.EndInvoke));

        Assert.Contains(userCode, message, StringComparison.Ordinal);
        Assert.Contains(world.Idp.AuthorityHost + "devicelogin", message, StringComparison.Ordinal);
        Assert.Equal("DeviceCode", context.Prop("SignInKind")!.ToString());
        Assert.Equal(IdentityProviderSimulator.PartnerA.Upn, context.Prop("Account"));
        Assert.Equal(5, shell.Invoke("Get-PCCustomerLicenseUsage $args[0]", SimulatorOptions.SeedCustomerId).Output.Count);
    }

    [Fact]
    public async Task Stopping_the_pipeline_aborts_the_device_code_wait_and_connects_nothing()
    {
        await using var world = await SignInWorld.StartAsync();
        using var shell = new HostedPowerShell();
        using var connect = shell.Begin("Connect-PCPartner -UseDeviceAuthentication -Endpoint $args[0] -Authority $args[1] -AuthorityCertificate $args[2]",
            world.Api.BaseAddress, world.Idp.AuthorityHost, world.Idp.Certificate);

        var running = connect.BeginInvoke();
        await world.Idp.WaitForDeviceCodeAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        await Task.Factory.FromAsync(connect.BeginStop, connect.EndStop, null).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(running.IsCompleted);
        Assert.Equal(PSInvocationState.Stopped, connect.InvocationStateInfo.State);
        Assert.Empty(shell.Invoke("Get-PCContext").Output);
        Assert.DoesNotContain(world.Idp.TokenRequests, r => r.StatusCode == 200);
    }

    [Fact]
    public async Task The_secure_application_model_connects_with_an_app_secret_credential()
    {
        await using var world = await SignInWorld.StartAsync();
        using var shell = new HostedPowerShell();
        var refreshToken = world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, SignInWorld.PartnerAppId);

        var context = Assert.Single(shell.Invoke(SecretConnect, SecretArguments(world, refreshToken)).Output);
        var rows = shell.Invoke("Get-PCCustomerLicenseUsage $args[0]", SimulatorOptions.SeedCustomerId);

        Assert.Equal("SecureApplicationModel", context.Prop("SignInKind")!.ToString());
        Assert.Equal(IdentityProviderSimulator.PartnerA.TenantId, context.Prop<Guid>("TenantId"));
        Assert.Equal(true, context.Prop("MfaAuthenticated"));
        Assert.Equal(5, rows.Output.Count);
    }

    [Fact]
    public async Task The_secure_application_model_connects_with_a_certificate_object_or_its_thumbprint_in_the_users_store()
    {
        await using var world = await SignInWorld.StartAsync();
        using var shell = new HostedPowerShell();
        var byObject = Assert.Single(shell.Invoke(
            "Connect-PCPartner -ApplicationId $args[0] -Certificate $args[1] -RefreshToken $args[2] -Endpoint $args[3] -Authority $args[4] -AuthorityCertificate $args[5]",
            SignInWorld.PartnerAppId, world.AppCertificate, world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, SignInWorld.PartnerAppId),
            world.Api.BaseAddress, world.Idp.AuthorityHost, world.Idp.Certificate).Output);

        using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
        store.Open(OpenFlags.ReadWrite);
        store.Add(world.AppCertificate);
        try
        {
            var byThumbprint = Assert.Single(shell.Invoke(
                "Connect-PCPartner -ApplicationId $args[0] -CertificateThumbprint $args[1] -RefreshToken $args[2] -Endpoint $args[3] -Authority $args[4] -AuthorityCertificate $args[5]",
                SignInWorld.PartnerAppId, world.AppCertificate.Thumbprint, world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerB, SignInWorld.PartnerAppId),
                world.Api.BaseAddress, world.Idp.AuthorityHost, world.Idp.Certificate).Output);

            Assert.Equal(IdentityProviderSimulator.PartnerA.Upn, byObject.Prop("Account"));
            Assert.Equal(IdentityProviderSimulator.PartnerB.Upn, byThumbprint.Prop("Account"));
        }
        finally
        {
            store.Remove(world.AppCertificate);
        }
    }

    [Fact]
    public async Task A_sign_in_service_that_cannot_be_reached_is_SignInFailed_naming_it()
    {
        await using var world = await SignInWorld.StartAsync();
        using var shell = new HostedPowerShell();
        var arguments = SecretArguments(world, world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, SignInWorld.PartnerAppId));
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var nobody = new Uri("https://127.0.0.1:" + ((System.Net.IPEndPoint)closed.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture) + "/");
        closed.Stop();
        arguments[4] = nobody;

        var error = shell.InvokeTerminating(SecretConnect, arguments);

        Assert.StartsWith("SignInFailed,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("could not be reached", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(nobody.Authority, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_thumbprint_not_in_any_store_is_SignInFailed()
    {
        await using var world = await SignInWorld.StartAsync();
        using var shell = new HostedPowerShell();

        var error = shell.InvokeTerminating(
            "Connect-PCPartner -ApplicationId $args[0] -CertificateThumbprint 0000000000000000000000000000000000000000 -RefreshToken 'rt' -Authority $args[1] -AuthorityCertificate $args[2]",
            SignInWorld.PartnerAppId, world.Idp.AuthorityHost, world.Idp.Certificate);

        Assert.StartsWith("SignInFailed,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("thumbprint", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_long_concurrent_pipeline_keeps_going_through_several_renewals_with_one_token_request_each()
    {
        // Two-second tokens and 100 ms of simulated latency a request: the run outlives several tokens.
        var clock = new TestClock();
        await using var world = await SignInWorld.StartAsync(customers: 120, latency: TimeSpan.FromMilliseconds(100), clock: clock);
        world.Idp.AccessTokenLifetime = TimeSpan.FromSeconds(2);

        // The clock moves on by itself, as fast as the requests' latencies come due: on a loaded machine it can pass a
        // token's expiry while a request that took the token in time is still on its way. What is specified here is
        // the client's renewal, not the server refusing a token a moment late.
        world.Idp.AccessTokenClockSkew = TimeSpan.FromMinutes(5);
        using var shell = new HostedPowerShell();
        shell.UseConnection(await world.ConnectAsync(IdentityProviderSimulator.PartnerA));
        var customers = world.Api.DataFor(IdentityProviderSimulator.PartnerA.TenantId).Customers;
        var renewalsBefore = world.TokenRequests("refresh_token");
        var started = clock.GetUtcNow();

        var result = shell.Invoke("$args[0] | Get-PCCustomerLicenseUsage -ThrottleLimit 4", customers.Select(c => c.Id).ToArray());

        Assert.Empty(result.Errors);
        Assert.Equal(customers.Sum(c => c.Usage.Count), result.Output.Count);
        var tokensUsed = world.Api.Requests.Snapshot().Select(r => r.Header("Authorization")).Distinct().Count();
        var renewals = world.TokenRequests("refresh_token") - renewalsBefore;
        Assert.True(renewals >= 2, $"the run should outlive several tokens, renewed {renewals} times in {clock.Elapsed}");

        // One token request per renewal: a token is renewed once it has half its life left, so with renewals shared
        // by the requests in flight there are at most as many as half-lives have passed (requests renewing each on
        // its own would make about four times as many), and every token used came from one of them.
        var halfLives = (int)((clock.GetUtcNow() - started).Ticks / (world.Idp.AccessTokenLifetime.Ticks / 2));
        Assert.InRange(renewals, 2, halfLives + 1);
        Assert.InRange(tokensUsed - 1, 1, renewals);
        Assert.All(world.Api.Requests.Snapshot(), r => Assert.Equal(200, r.StatusCode));
    }

    [Fact]
    public async Task A_revoked_refresh_token_stops_the_run_with_TokenRenewalFailed_saying_how_to_sign_in_again()
    {
        var clock = new TestClock(autoAdvance: false);
        await using var world = await SignInWorld.StartAsync(clock: clock);
        using var shell = new HostedPowerShell();
        shell.UseConnection(await world.ConnectAsync(IdentityProviderSimulator.PartnerA));
        world.Idp.RevokeRefreshTokens();
        clock.Advance(TimeSpan.FromMinutes(61));

        var error = shell.InvokeTerminating("$args[0] | Get-PCCustomerLicenseUsage", (object)new[] { SimulatorOptions.SeedCustomerId, SimulatorOptions.SeedCustomerId });

        Assert.StartsWith("TokenRenewalFailed,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Contains("Connect-PCPartner", error.ToString() + error.ErrorDetails?.RecommendedAction, StringComparison.Ordinal);
        Assert.Empty(world.Api.Requests.Snapshot());
    }

    [Fact]
    public async Task A_token_without_MFA_is_warned_about_at_connect_and_refused_as_MfaRequired()
    {
        await using var world = await SignInWorld.StartAsync();
        world.Idp.AuthenticationMethods = ["pwd"];
        using var shell = new HostedPowerShell();

        var connect = shell.Invoke(SecretConnect, SecretArguments(world, world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, SignInWorld.PartnerAppId)));
        var usage = shell.Invoke("Get-PCCustomerLicenseUsage $args[0]", SimulatorOptions.SeedCustomerId);

        Assert.Contains(connect.Warnings, w => w.Contains("multi-factor", StringComparison.Ordinal));
        Assert.Equal(false, Assert.Single(connect.Output).Prop("MfaAuthenticated"));
        var error = Assert.Single(usage.Errors);
        Assert.StartsWith("MfaRequired,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("multi-factor", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_app_only_token_is_refused_before_any_request_with_AppPlusUserRequired()
    {
        await using var scenario = await ModuleScenario.StartAsync(connect: false);
        var appOnly = TestTokens.Jwt(new { idtyp = "app", roles = new[] { "Partner.Read.All" }, appid = SignInWorld.PartnerAppId, exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds() });

        var connect = scenario.Run("Connect-PCPartner -AccessToken $args[0] -Endpoint $args[1]", appOnly, scenario.Simulator.BaseAddress);
        var error = scenario.RunTerminating("Get-PCCustomerLicenseUsage $args[0]", SimulatorOptions.SeedCustomerId);

        Assert.Contains(connect.Warnings, w => w.Contains("App+User", StringComparison.Ordinal));
        Assert.StartsWith("AppPlusUserRequired,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("App+User", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(scenario.Simulator.Requests.Snapshot());
    }

    [Fact]
    public async Task Two_runspaces_connected_as_two_partners_each_see_only_their_own_customers()
    {
        await using var world = await SignInWorld.StartAsync();
        using var asPartnerA = new HostedPowerShell();
        using var asPartnerB = new HostedPowerShell();
        asPartnerA.Invoke(SecretConnect + " | Out-Null", SecretArguments(world, world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, SignInWorld.PartnerAppId)));
        asPartnerB.Invoke(SecretConnect + " | Out-Null", SecretArguments(world, world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerB, SignInWorld.PartnerAppId)));
        var customerOfA = world.Api.DataFor(IdentityProviderSimulator.PartnerA.TenantId).Customers.Skip(1).First(c => c.Usage.Count > 0);

        var fromA = asPartnerA.Invoke("Get-PCCustomerLicenseUsage $args[0]", customerOfA.Id);
        var fromB = asPartnerB.Invoke("Get-PCCustomerLicenseUsage $args[0]", customerOfA.Id);

        Assert.Equal(customerOfA.Usage.Count, fromA.Output.Count);
        Assert.Empty(fromB.Output);
        Assert.StartsWith("CustomerNotFound,", Assert.Single(fromB.Errors).FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(IdentityProviderSimulator.PartnerA.Upn, asPartnerA.Invoke("Get-PCContext").Output.Single().Prop("Account"));
        Assert.Equal(IdentityProviderSimulator.PartnerB.Upn, asPartnerB.Invoke("Get-PCContext").Output.Single().Prop("Account"));
    }

    [Fact]
    public async Task Disconnect_signs_out_and_the_next_call_is_NotConnected()
    {
        await using var world = await SignInWorld.StartAsync();
        using var shell = new HostedPowerShell();
        shell.Invoke(SecretConnect + " | Out-Null", SecretArguments(world, world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, SignInWorld.PartnerAppId)));

        var disconnect = shell.Invoke("Disconnect-PCPartner -Verbose");
        var error = shell.InvokeTerminating("Get-PCCustomerLicenseUsage $args[0]", SimulatorOptions.SeedCustomerId);

        Assert.Contains(disconnect.Verbose, v => v.Contains("token cache is cleared", StringComparison.Ordinal));
        Assert.StartsWith("NotConnected,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Empty(shell.Invoke("Get-PCContext").Output);
    }

    [Fact]
    public async Task No_refresh_token_secret_or_access_token_appears_in_any_stream_or_object_with_Verbose_and_Debug()
    {
        var clock = new TestClock(autoAdvance: false);
        await using var world = await SignInWorld.StartAsync(clock: clock);
        using var shell = new HostedPowerShell();
        var refreshToken = world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, SignInWorld.PartnerAppId);
        var runs = new List<PipelineResult>
        {
            shell.Invoke(SecretConnect + " -Verbose -Debug", SecretArguments(world, refreshToken)),
            shell.Invoke("$DebugPreference = 'Continue'; Get-PCContext -Verbose -Debug; Get-PCContext | Out-Default"),
        };

        // The renewals of a long run, on the world's clock: one that works, then one that fails.
        shell.UseConnection(await world.ConnectAsync(IdentityProviderSimulator.PartnerA));
        clock.Advance(TimeSpan.FromMinutes(56));
        runs.Add(shell.Invoke("Get-PCCustomerLicenseUsage $args[0] -Verbose -Debug", (object)new[] { SimulatorOptions.SeedCustomerId, Guid.NewGuid() }));
        world.Idp.RevokeRefreshTokens();
        clock.Advance(TimeSpan.FromMinutes(61));
        var renewalError = shell.InvokeTerminating("Get-PCCustomerLicenseUsage $args[0] -Verbose -Debug", SimulatorOptions.SeedCustomerId);
        runs.Add(shell.Invoke("Disconnect-PCPartner -Verbose -Debug"));

        var seen = new StringBuilder(shell.ConsoleText).AppendLine(renewalError.ToString()).AppendLine(renewalError.Exception.ToString()).Append(runs.VisibleText());

        var accessTokens = world.Api.Requests.Snapshot().Select(r => r.Header("Authorization")!["Bearer ".Length..]).Distinct().ToList();
        Assert.NotEmpty(accessTokens);
        var text = seen.ToString();
        Assert.DoesNotContain(refreshToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain(world.AppSecret, text, StringComparison.Ordinal);
        Assert.All(accessTokens, token => Assert.DoesNotContain(token, text, StringComparison.Ordinal));
        Assert.Contains("TokenRenewalFailed", renewalError.FullyQualifiedErrorId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_credential_naming_another_application_than_ApplicationId_is_refused()
    {
        await using var world = await SignInWorld.StartAsync();
        using var shell = new HostedPowerShell();

        var error = shell.InvokeTerminating(
            "Connect-PCPartner -ApplicationId 'another-app' -Credential ([pscredential]::new($args[0], [System.Net.NetworkCredential]::new('', 's').SecurePassword)) -RefreshToken 'rt' -Authority $args[1] -AuthorityCertificate $args[2]",
            SignInWorld.PartnerAppId, world.Idp.AuthorityHost, world.Idp.Certificate);

        Assert.StartsWith("InvalidParameters,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Empty(world.Idp.TokenRequests);
    }

    [Fact]
    public async Task A_certificate_to_trust_is_refused_for_an_authority_that_is_not_loopback()
    {
        await using var world = await SignInWorld.StartAsync();
        using var shell = new HostedPowerShell();

        var error = shell.InvokeTerminating("Connect-PCPartner -UseDeviceAuthentication -Authority https://login.contoso.example -AuthorityCertificate $args[0]", world.Idp.Certificate);

        Assert.StartsWith("InvalidEndpoint,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_offers_a_parameter_set_for_each_way_to_sign_in_with_interactive_by_default()
    {
        await using var scenario = await ModuleScenario.StartAsync(connect: false);

        var command = (CommandInfo)scenario.Run("Get-Command Connect-PCPartner").Objects.Single();

        Assert.Equal(
            ["AccessToken", "DeviceCode", "Interactive", "SecureApplicationModelCertificate", "SecureApplicationModelSecret", "SecureApplicationModelThumbprint"],
            command.ParameterSets.Select(s => s.Name).Order());
        Assert.True(command.ParameterSets.Single(s => s.Name == "Interactive").IsDefault);
        Assert.Equal(typeof(System.Security.SecureString), command.Parameters["RefreshToken"].ParameterType);
        Assert.Equal(typeof(PSCredential), command.Parameters["Credential"].ParameterType);
    }
}
