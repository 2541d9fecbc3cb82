using System.Net;
using System.Security;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Authentication;
using PartnerCenterUsage.Engine.Diagnostics;
using PartnerCenterUsage.Models;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>Real MSAL against the simulator's identity provider, without PowerShell.</summary>
public sealed class PartnerSignInTests
{
    private static SecureString Secure(string text) => new NetworkCredential(string.Empty, text).SecurePassword;

    [Fact]
    public async Task Device_code_sign_in_shows_the_code_at_once_and_completes_when_the_user_approves()
    {
        await using var world = await SignInWorld.StartAsync();
        var prompts = new PromptLog();
        var options = world.Options();
        options.Log = prompts;

        var signIn = PartnerSignIn.DeviceCodeAsync(options, CancellationToken.None);
        var userCode = await world.Idp.WaitForDeviceCodeAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        await prompts.WaitForAsync(userCode);
        Assert.False(signIn.IsCompleted);
        world.Idp.ApproveDeviceCode(userCode, IdentityProviderSimulator.PartnerA);
        using var connection = await signIn.WaitAsync(TimeSpan.FromSeconds(30));

        var context = connection.Context;
        Assert.Equal(PartnerSignInKind.DeviceCode, context.SignInKind);
        Assert.Equal(IdentityProviderSimulator.PartnerA.Upn, context.Account);
        Assert.Equal(IdentityProviderSimulator.PartnerA.TenantId, context.TenantId);
        Assert.Equal(true, context.MfaAuthenticated);
        Assert.Equal("https://api.partnercenter.microsoft.com/user_impersonation", context.Scopes);
        var rows = await connection.Client.GetCustomerLicenseUsageAsync(SimulatorOptions.SeedCustomerId, new PartnerCenterOperation(), CancellationToken.None);
        Assert.Equal(5, rows.Count);
    }

    [Fact]
    public async Task Interactive_sign_in_completes_the_authorization_code_through_the_browser_hop_and_the_loopback_listener()
    {
        await using var world = await SignInWorld.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => c!.Thumbprint == world.Idp.Certificate.Thumbprint });

        // The "browser": follows the authorize URL to the identity provider, then the redirect to the loopback listener.
        var browser = new SystemBrowser(uri =>
        {
            _ = Task.Run(async () =>
            {
                using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, ServerCertificateCustomValidationCallback = (_, c, _, _) => c!.Thumbprint == world.Idp.Certificate.Thumbprint });
                var authorize = await noRedirect.GetAsync(uri);
                await http.GetAsync(authorize.Headers.Location);
            });
            return true;
        });

        using var connection = await PartnerSignIn.InteractiveAsync(world.Options(), browser, CancellationToken.None);

        Assert.Equal(PartnerSignInKind.Interactive, connection.Context.SignInKind);
        Assert.Equal(IdentityProviderSimulator.PartnerA.Upn, connection.Context.Account);
        Assert.Equal(1, world.TokenRequests("authorization_code"));
    }

    [Fact]
    public async Task The_secure_application_model_signs_in_with_a_secret()
    {
        await using var world = await SignInWorld.StartAsync();
        var refreshToken = world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerB, SignInWorld.PartnerAppId);

        using var connection = await PartnerSignIn.SecureApplicationModelAsync(
            world.Options(SignInWorld.PartnerAppId), Secure(refreshToken), Secure(world.AppSecret), certificate: null, CancellationToken.None);

        Assert.Equal(PartnerSignInKind.SecureApplicationModel, connection.Context.SignInKind);
        Assert.Equal(IdentityProviderSimulator.PartnerB.TenantId, connection.Context.TenantId);
    }

    [Fact]
    public async Task The_secure_application_model_signs_in_with_a_certificate()
    {
        await using var world = await SignInWorld.StartAsync();
        var refreshToken = world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, SignInWorld.PartnerAppId);

        using var connection = await PartnerSignIn.SecureApplicationModelAsync(
            world.Options(SignInWorld.PartnerAppId), Secure(refreshToken), clientSecret: null, world.AppCertificate, CancellationToken.None);

        Assert.Equal(IdentityProviderSimulator.PartnerA.Upn, connection.Context.Account);
        Assert.Contains(world.Idp.TokenRequests, r => r.GrantType == "refresh_token" && r.StatusCode == 200);
    }

    [Fact]
    public async Task A_wrong_secret_is_a_sign_in_failure_that_does_not_repeat_the_secret()
    {
        await using var world = await SignInWorld.StartAsync();
        var refreshToken = world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, SignInWorld.PartnerAppId);

        var error = await Assert.ThrowsAsync<PartnerCenterSignInException>(() => PartnerSignIn.SecureApplicationModelAsync(
            world.Options(SignInWorld.PartnerAppId), Secure(refreshToken), Secure("wrong-secret-value"), certificate: null, CancellationToken.None));

        Assert.False(error.DuringRenewal);
        Assert.Equal("invalid_client", error.ErrorCode);
        Assert.DoesNotContain("wrong-secret-value", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(refreshToken, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_requests_with_a_due_token_share_exactly_one_renewal()
    {
        var clock = new TestClock(autoAdvance: false);
        await using var world = await SignInWorld.StartAsync(clock: clock);
        using var connection = await world.ConnectAsync(IdentityProviderSimulator.PartnerA);
        var customers = world.Api.DataFor(IdentityProviderSimulator.PartnerA.TenantId).Customers.Take(16).Select(c => c.Id).ToList();
        var before = world.TokenRequests("refresh_token");

        // Within five minutes of the hour-long token's expiry: due for renewal, still valid.
        clock.Advance(TimeSpan.FromMinutes(56));
        var operation = new PartnerCenterOperation(Guid.NewGuid(), maxConcurrency: 16);
        await Task.WhenAll(customers.Select(id => connection.Client.GetCustomerLicenseUsageAsync(id, operation, CancellationToken.None)));

        Assert.Equal(1, world.TokenRequests("refresh_token") - before);
        Assert.Single(world.Api.Requests.Snapshot().Select(r => r.Header("Authorization")).Distinct());
    }

    [Fact]
    public async Task A_failed_early_renewal_keeps_the_still_valid_token_and_the_run_stops_only_when_it_expires()
    {
        var clock = new TestClock(autoAdvance: false);
        await using var world = await SignInWorld.StartAsync(clock: clock);
        using var connection = await world.ConnectAsync(IdentityProviderSimulator.PartnerA);
        var customers = world.Api.DataFor(IdentityProviderSimulator.PartnerA.TenantId).Customers.Take(12).Select(c => c.Id).ToList();
        world.Idp.RevokeRefreshTokens();
        var before = world.TokenRequests("refresh_token");

        // Due (five seconds before expiry) but not expired: the renewal fails, the requests go on with the token.
        clock.Advance(TimeSpan.FromMinutes(60) - TimeSpan.FromSeconds(5));
        var operation = new PartnerCenterOperation(Guid.NewGuid(), maxConcurrency: 6);
        var rows = await Task.WhenAll(customers.Select(id => connection.Client.GetCustomerLicenseUsageAsync(id, operation, CancellationToken.None)));
        Assert.Equal(customers.Count, rows.Length);
        Assert.Equal(1, world.TokenRequests("refresh_token") - before);

        // Expired moments later: the shared failure ends the run, without asking the identity provider again.
        clock.Advance(TimeSpan.FromSeconds(6));
        var error = await Assert.ThrowsAsync<PartnerCenterSignInException>(() =>
            connection.Client.GetCustomerLicenseUsageAsync(SimulatorOptions.SeedCustomerId, new PartnerCenterOperation(), CancellationToken.None));
        Assert.True(error.DuringRenewal);
        Assert.Equal("invalid_grant", error.ErrorCode);
        // What happened, from the engine; what to do (connect again) is the cmdlet layer's advice, which
        // SignInTests checks on the ErrorRecord.
        Assert.Contains("could not be renewed (invalid_grant)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Connect-PCPartner", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, world.TokenRequests("refresh_token") - before);
        Assert.Equal(customers.Count, world.Api.Requests.Snapshot().Count);
    }

    [Fact]
    public async Task A_token_is_not_renewed_before_it_is_due()
    {
        var clock = new TestClock(autoAdvance: false);
        await using var world = await SignInWorld.StartAsync(clock: clock);
        using var connection = await world.ConnectAsync(IdentityProviderSimulator.PartnerA);
        var before = world.TokenRequests("refresh_token");

        clock.Advance(TimeSpan.FromMinutes(54));
        await connection.Client.GetCustomerLicenseUsageAsync(SimulatorOptions.SeedCustomerId, new PartnerCenterOperation(), CancellationToken.None);

        Assert.Equal(0, world.TokenRequests("refresh_token") - before);
    }

    [Fact]
    public async Task A_401_for_an_expired_token_is_retried_once_with_a_renewed_token()
    {
        await using var world = await SignInWorld.StartAsync();
        var refreshToken = world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, SignInWorld.PartnerAppId);
        using var connection = await PartnerSignIn.SecureApplicationModelAsync(
            world.Options(SignInWorld.PartnerAppId), Secure(refreshToken), Secure(world.AppSecret), certificate: null, CancellationToken.None);
        world.Api.Faults.Add(InjectedFault.Error(401, "400", "Access denied: the token is expired.", times: 1));
        var before = world.TokenRequests("refresh_token");

        var rows = await connection.Client.GetCustomerLicenseUsageAsync(SimulatorOptions.SeedCustomerId, new PartnerCenterOperation(), CancellationToken.None);

        Assert.Equal(5, rows.Count);
        Assert.Equal(1, world.TokenRequests("refresh_token") - before);
        var requests = world.Api.Requests.Snapshot();
        Assert.Equal(2, requests.Count);
        Assert.NotEqual(requests[0].Header("Authorization"), requests[1].Header("Authorization"));
        Assert.NotEqual(requests[0].Header("MS-RequestId"), requests[1].Header("MS-RequestId"));
    }

    [Fact]
    public async Task A_sign_in_server_whose_certificate_is_not_the_trusted_one_is_refused_before_any_token_request()
    {
        // Its own certificate, not the one every other sign-in server of the process shares: the pin must tell them apart.
        using var own = IdentityProviderSimulator.CreateCertificate();
        await using var world = await SignInWorld.StartAsync(idpCertificate: own);
        var options = world.Options(SignInWorld.PartnerAppId);
        options.TrustedAuthorityCertificate = IdentityProviderSimulator.SharedCertificate;
        var refreshToken = world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, SignInWorld.PartnerAppId);

        await Assert.ThrowsAsync<PartnerCenterSignInException>(() => PartnerSignIn.SecureApplicationModelAsync(
            options, Secure(refreshToken), Secure(world.AppSecret), certificate: null, CancellationToken.None));

        Assert.NotEqual(IdentityProviderSimulator.SharedCertificate.Thumbprint, world.Idp.Certificate.Thumbprint);
        Assert.Empty(world.Idp.TokenRequests);
    }

    [Fact]
    public async Task Sign_out_forgets_the_account_so_no_renewal_is_possible()
    {
        await using var world = await SignInWorld.StartAsync();
        var refreshToken = world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, SignInWorld.PartnerAppId);
        var connection = await PartnerSignIn.SecureApplicationModelAsync(
            world.Options(SignInWorld.PartnerAppId), Secure(refreshToken), Secure(world.AppSecret), certificate: null, CancellationToken.None);
        var provider = (IAccessTokenProvider)typeof(PartnerConnection).GetField("_tokens", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(connection)!;

        await connection.SignOutAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<PartnerCenterSignInException>(() => provider.RenewAsync(provider.Current, CancellationToken.None));
        Assert.True(error.DuringRenewal);
    }

    private sealed class PromptLog : IPartnerCenterLog
    {
        private readonly TaskCompletionSource<string> _prompt = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Write(PartnerCenterLogLevel level, string message)
        {
            if (level == PartnerCenterLogLevel.Prompt)
            {
                _prompt.TrySetResult(message);
            }
        }

        public async Task WaitForAsync(string text)
        {
            var message = await _prompt.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Contains(text, message, StringComparison.Ordinal);
        }
    }
}
