using System.Collections;
using System.Net;
using System.Security;
using System.Text;
using PartnerCenterUsage.Runner;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>
/// A monthly unattended job with the Secure Application Model, through real MSAL against the simulator's rotating refresh
/// tokens, months passing on a <see cref="TestClock"/>: it lives past 90 days only because Connect-PCPartner keeps the
/// newest refresh token (a stand-in SecretManagement vault, as PowerShell resolves Get-Secret and Set-Secret, or a script
/// block), and without that it stops with RefreshTokenExpired and advice.
/// </summary>
public sealed class RefreshTokenRotationTests
{
    private const string Vault = "Jobs";
    private const string SecretName = "PartnerCenterRefreshToken";

    // The stand-in SecretManagement: functions of the session, over a table the test keeps between "runs" (runspaces).
    private const string StandInVault = """
        $global:Store = $args[0]
        function global:Get-Secret { [CmdletBinding()] param([string]$Name, [string]$Vault) if (-not $global:Store.ContainsKey("$Vault/$Name")) { throw "The secret $Name was not found in the vault $Vault." } $global:Store["$Vault/$Name"] }
        function global:Set-Secret { [CmdletBinding()] param([string]$Name, [string]$Vault, $Secret) if ($global:Store['fail']) { throw 'The vault is locked.' } $global:Store["$Vault/$Name"] = $Secret; $global:Store['writes'] = 1 + $global:Store['writes'] }
        function global:Get-SecretInfo { [CmdletBinding()] param([string]$Name, [string]$Vault) [pscustomobject]@{ Name = $Name; Metadata = $global:Store["$Vault/$Name/metadata"] } }
        function global:Set-SecretInfo { [CmdletBinding()] param([string]$Name, [string]$Vault, [hashtable]$Metadata) $global:Store["$Vault/$Name/metadata"] = $Metadata }
        """;

    private const string Credential = "-ApplicationId $args[0] -Credential ([pscredential]::new($args[0], [System.Net.NetworkCredential]::new('', $args[1]).SecurePassword)) " +
        "-Endpoint $args[2] -Authority $args[3] -AuthorityCertificate $args[4]";

    private const string MonthlyJobWithVault =
        $"Connect-PCPartner {Credential} -RefreshTokenVault {Vault} -RefreshTokenSecretName {SecretName} | Out-Null; Get-PCCustomerLicenseUsage $args[5]";

    [Fact]
    public async Task A_monthly_job_runs_for_15_months_because_the_newest_refresh_token_is_written_back_to_the_vault()
    {
        var clock = new TestClock(autoAdvance: false);
        await using var world = await SignInWorld.StartAsync(clock: clock);
        var store = new Hashtable { [$"{Vault}/{SecretName}"] = Secure(world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, SignInWorld.PartnerAppId)), ["writes"] = 0 };
        var kept = new List<string>();

        for (var month = 0; month < 15; month++)
        {
            using var shell = NewJob(store);
            var run = shell.Invoke(MonthlyJobWithVault, Arguments(world));

            Assert.True(run.Errors.Count == 0, $"month {month}: {string.Join("; ", run.Errors)}");
            Assert.Empty(run.Warnings);
            Assert.Equal(5, run.Output.Count);
            kept.Add(Reveal((SecureString)store[$"{Vault}/{SecretName}"]!));
            clock.Advance(TimeSpan.FromDays(30));
        }

        Assert.Equal(15, kept.Distinct().Count());
        Assert.Equal(15, store["writes"]);
        Assert.True(clock.Elapsed > TimeSpan.FromDays(420));
        Assert.True(store[$"{Vault}/{SecretName}/metadata"] is Hashtable { Count: 1 });
    }

    [Fact]
    public async Task Without_write_back_the_same_refresh_token_stops_the_job_after_90_days_with_RefreshTokenExpired_and_advice()
    {
        var clock = new TestClock(autoAdvance: false);
        await using var world = await SignInWorld.StartAsync(clock: clock);
        var refreshToken = world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, SignInWorld.PartnerAppId);
        var script = $"Connect-PCPartner {Credential} -RefreshToken $args[6] | Out-Null; Get-PCCustomerLicenseUsage $args[5]";

        for (var month = 0; month < 3; month++)
        {
            using var shell = new HostedPowerShell();
            var run = shell.Invoke(script, [.. Arguments(world), refreshToken]);
            Assert.Equal(5, run.Output.Count);
            clock.Advance(TimeSpan.FromDays(30));
        }

        using var day90 = new HostedPowerShell();
        var error = day90.InvokeTerminating(script, [.. Arguments(world), refreshToken]);

        Assert.StartsWith("RefreshTokenExpired,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(System.Management.Automation.ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Contains("AADSTS700082", error.ToString(), StringComparison.Ordinal);
        var advice = error.ErrorDetails.RecommendedAction;
        Assert.Contains("90 days", advice, StringComparison.Ordinal);
        Assert.Contains("-RefreshTokenVault", advice, StringComparison.Ordinal);
        Assert.Contains("-OnRefreshTokenRenewed", advice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_renewal_in_a_later_command_writes_the_rotated_token_back_on_the_pipeline_thread()
    {
        var clock = new TestClock(autoAdvance: false);
        await using var world = await SignInWorld.StartAsync(clock: clock);
        var store = new Hashtable { [$"{Vault}/{SecretName}"] = Secure(world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, SignInWorld.PartnerAppId)), ["writes"] = 0 };
        using var shell = NewJob(store);
        shell.Invoke($"$global:Threads = @(); function global:Set-Secret {{ [CmdletBinding()] param([string]$Name, [string]$Vault, $Secret) $global:Threads += [Threading.Thread]::CurrentThread.ManagedThreadId; $global:Store[\"$Vault/$Name\"] = $Secret; $global:Store['writes'] = 1 + $global:Store['writes'] }}");
        Assert.Empty(shell.Invoke($"Connect-PCPartner {Credential} -RefreshTokenVault {Vault} -RefreshTokenSecretName {SecretName} | Out-Null", Arguments(world)).Errors);
        var atConnect = Reveal((SecureString)store[$"{Vault}/{SecretName}"]!);

        // Two hours on, Partner Center refuses the access token: the command renews, and Entra rotates the refresh token.
        clock.Advance(TimeSpan.FromHours(2));
        var run = shell.Invoke("Get-PCCustomerLicenseUsage $args[0]; [Threading.Thread]::CurrentThread.ManagedThreadId", SimulatorOptions.SeedCustomerId);

        Assert.Empty(run.Errors);
        var renewed = Reveal((SecureString)store[$"{Vault}/{SecretName}"]!);
        Assert.NotEqual(atConnect, renewed);
        Assert.True(world.Idp.IsRedeemable(renewed));
        Assert.Equal(2, store["writes"]);
        var pipelineThread = run.Output[^1].BaseObject;
        var threads = shell.Invoke("$global:Threads").Output.Select(o => o.BaseObject).ToList();
        Assert.Equal(2, threads.Count);
        Assert.Equal(pipelineThread, threads[^1]);
    }

    [Fact]
    public async Task The_script_block_is_given_each_renewed_token_and_when_it_was_seen()
    {
        var clock = new TestClock(autoAdvance: false);
        await using var world = await SignInWorld.StartAsync(clock: clock);
        using var shell = new HostedPowerShell();
        var given = world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, SignInWorld.PartnerAppId);

        var run = shell.Invoke(
            $"$global:Renewed = @(); Connect-PCPartner {Credential} -RefreshToken $args[6] -OnRefreshTokenRenewed {{ param($token, $issuedOn) $global:Renewed += [pscustomobject]@{{ Token = $token; IssuedOn = $issuedOn }} }} | Out-Null; Get-PCCustomerLicenseUsage $args[5]",
            [.. Arguments(world), given]);
        var renewed = shell.Invoke("$global:Renewed").Output;

        Assert.Empty(run.Errors);
        var only = Assert.Single(renewed);
        var token = Assert.IsType<SecureString>(only.Prop("Token"));
        Assert.True(world.Idp.IsRedeemable(Reveal(token)));
        Assert.NotEqual(given, Reveal(token));
        Assert.IsType<DateTimeOffset>(only.Prop("IssuedOn"));
    }

    [Fact]
    public async Task A_failing_Set_Secret_is_a_loud_warning_and_the_report_still_runs()
    {
        await using var world = await SignInWorld.StartAsync();
        var store = new Hashtable { [$"{Vault}/{SecretName}"] = Secure(world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, SignInWorld.PartnerAppId)), ["fail"] = true, ["writes"] = 0 };
        using var shell = NewJob(store);

        var run = shell.Invoke(MonthlyJobWithVault, Arguments(world));

        Assert.Empty(run.Errors);
        Assert.Equal(5, run.Output.Count);
        var warning = Assert.Single(run.Warnings);
        Assert.Contains($"Could not keep the renewed refresh token in the vault '{Vault}'", warning, StringComparison.Ordinal);
        Assert.Contains("The vault is locked.", warning, StringComparison.Ordinal);
        Assert.Contains("90 days", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_script_block_is_a_warning_and_the_report_still_runs()
    {
        await using var world = await SignInWorld.StartAsync();
        using var shell = new HostedPowerShell();

        var run = shell.Invoke(
            $"Connect-PCPartner {Credential} -RefreshToken $args[6] -OnRefreshTokenRenewed {{ throw 'disk full' }} | Out-Null; Get-PCCustomerLicenseUsage $args[5]",
            [.. Arguments(world), world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, SignInWorld.PartnerAppId)]);

        Assert.Empty(run.Errors);
        Assert.Equal(5, run.Output.Count);
        Assert.Contains(run.Warnings, w => w.Contains("-OnRefreshTokenRenewed script block failed", StringComparison.Ordinal) && w.Contains("disk full", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(61, true)]
    [InlineData(59, false)]
    public async Task A_kept_token_older_than_60_days_by_the_vaults_metadata_is_warned_about(int daysAgo, bool warned)
    {
        await using var world = await SignInWorld.StartAsync();
        var store = new Hashtable
        {
            [$"{Vault}/{SecretName}"] = Secure(world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, SignInWorld.PartnerAppId)),
            [$"{Vault}/{SecretName}/metadata"] = new Hashtable { ["PartnerCenterUsageIssuedOn"] = DateTimeOffset.UtcNow.AddDays(-daysAgo).ToString("o") },
            ["writes"] = 0,
        };
        using var shell = NewJob(store);

        var run = shell.Invoke(MonthlyJobWithVault, Arguments(world));

        Assert.Empty(run.Errors);
        Assert.Equal(warned, run.Warnings.Any(w => w.Contains($"was kept {daysAgo} days ago", StringComparison.Ordinal) && w.Contains("This run keeps the renewed one", StringComparison.Ordinal)));
        Assert.Equal(warned ? 1 : 0, run.Warnings.Count);
    }

    [Fact]
    public async Task A_token_passed_with_its_IssuedOn_and_no_write_back_warns_that_nothing_keeps_the_renewed_one()
    {
        await using var world = await SignInWorld.StartAsync();
        using var shell = new HostedPowerShell();

        var run = shell.Invoke($"Connect-PCPartner {Credential} -RefreshToken $args[6] -RefreshTokenIssuedOn ([DateTimeOffset]::UtcNow.AddDays(-75)) | Out-Null",
            [.. Arguments(world), world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, SignInWorld.PartnerAppId)]);

        var warning = Assert.Single(run.Warnings);
        Assert.Contains("was kept 75 days ago", warning, StringComparison.Ordinal);
        Assert.Contains("Nothing keeps the renewed one", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("revoke", "RefreshTokenRevoked")]
    [InlineData("frequency", "RefreshTokenRevoked")]
    [InlineData("mfa", "MfaRequired")]
    [InlineData("mfa-expired", "MfaRequired")]
    public async Task A_refused_refresh_token_at_connect_has_its_own_ErrorId_and_advice(string what, string errorId)
    {
        await using var world = await SignInWorld.StartAsync();
        var token = world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, SignInWorld.PartnerAppId);
        switch (what)
        {
            case "revoke": world.Idp.RevokeRefreshTokens(); break;
            case "frequency": world.Idp.EndRefreshTokensBySignInFrequency(); break;
            case "mfa": world.Idp.RequireMultiFactorAuthentication(); break;
            default: world.Idp.RequireMultiFactorAuthentication(presentedMfaExpired: true); break;
        }

        using var shell = new HostedPowerShell();
        var error = shell.InvokeTerminating($"Connect-PCPartner {Credential} -RefreshToken $args[6]", [.. Arguments(world), token]);

        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains(errorId == "MfaRequired" ? "multi-factor" : "revoked", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_vault_without_the_secret_is_RefreshTokenVaultReadFailed_and_a_vault_needs_a_secret_name()
    {
        await using var world = await SignInWorld.StartAsync();
        using var shell = NewJob(new Hashtable());

        var missing = shell.InvokeTerminating($"Connect-PCPartner {Credential} -RefreshTokenVault {Vault} -RefreshTokenSecretName {SecretName}", Arguments(world));
        var noName = shell.InvokeTerminating($"Connect-PCPartner {Credential} -RefreshTokenVault {Vault}", Arguments(world));
        var nothing = shell.InvokeTerminating($"Connect-PCPartner {Credential}", Arguments(world));

        Assert.StartsWith("RefreshTokenVaultReadFailed,", missing.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("was not found", missing.ToString(), StringComparison.Ordinal);
        Assert.Contains("Get-SecretInfo", missing.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.StartsWith("InvalidParameters,", noName.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.StartsWith("InvalidParameters,", nothing.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Empty(world.Idp.TokenRequests);
    }

    [Fact]
    public async Task No_refresh_token_appears_in_any_stream_with_Verbose_and_Debug_on_every_write_back_path()
    {
        var clock = new TestClock(autoAdvance: false);
        await using var world = await SignInWorld.StartAsync(clock: clock);
        var given = world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, SignInWorld.PartnerAppId);
        var store = new Hashtable { [$"{Vault}/{SecretName}"] = Secure(given), ["writes"] = 0 };
        using var shell = NewJob(store);
        var runs = new List<PipelineResult>
        {
            shell.Invoke($"$DebugPreference = 'Continue'; Connect-PCPartner {Credential} -RefreshTokenVault {Vault} -RefreshTokenSecretName {SecretName} -OnRefreshTokenRenewed {{ param($t, $d) throw 'no' }} -Verbose -Debug", Arguments(world)),
        };
        clock.Advance(TimeSpan.FromHours(2));
        store["fail"] = true;
        runs.Add(shell.Invoke("$DebugPreference = 'Continue'; Get-PCCustomerLicenseUsage $args[0] -Verbose -Debug; Get-PCContext | Out-Default", SimulatorOptions.SeedCustomerId));
        world.Idp.RevokeRefreshTokens();
        clock.Advance(TimeSpan.FromHours(2));
        var renewalError = shell.InvokeTerminating("Get-PCCustomerLicenseUsage $args[0] -Verbose -Debug", SimulatorOptions.SeedCustomerId);
        var connectError = shell.InvokeTerminating($"Connect-PCPartner {Credential} -RefreshTokenVault {Vault} -RefreshTokenSecretName {SecretName} -Verbose -Debug", Arguments(world));

        var tokens = new[] { given }.Concat(store.Values.OfType<SecureString>().Select(Reveal)).ToList();
        var seen = new StringBuilder(shell.ConsoleText).AppendLine(runs.VisibleText())
            .AppendLine(renewalError.ToString()).AppendLine(renewalError.Exception.ToString()).AppendLine(renewalError.ErrorDetails?.RecommendedAction)
            .AppendLine(connectError.ToString()).AppendLine(connectError.Exception.ToString()).ToString();

        Assert.Contains(runs, r => r.Warnings.Count > 0);
        Assert.Contains(runs, r => r.Verbose.Count > 0);
        Assert.StartsWith("TokenRenewalFailed,", renewalError.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.StartsWith("RefreshTokenRevoked,", connectError.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.All(tokens, token => Assert.DoesNotContain(token, seen, StringComparison.Ordinal));
    }

    private static HostedPowerShell NewJob(Hashtable store)
    {
        var shell = new HostedPowerShell();
        Assert.Empty(shell.Invoke(StandInVault, store).Errors);
        return shell;
    }

    private static object[] Arguments(SignInWorld world) =>
        [SignInWorld.PartnerAppId, world.AppSecret, world.Api.BaseAddress, world.Idp.AuthorityHost, world.Idp.Certificate, SimulatorOptions.SeedCustomerId];

    private static SecureString Secure(string text) => new NetworkCredential(string.Empty, text).SecurePassword;

    private static string Reveal(SecureString secret) => new NetworkCredential(string.Empty, secret).Password;
}
