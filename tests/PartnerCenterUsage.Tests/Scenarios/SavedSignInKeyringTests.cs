using PartnerCenterUsage.Engine.Authentication;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>
/// Connect-PCPartner -ContextScope CurrentUser in the real pwsh, each step a process of its own with a throwaway HOME
/// and a headless gnome-keyring over D-Bus, against the simulator's identity provider (real MSAL, device code on
/// loopback). The store's bound is never waited out: a locked keyring, no D-Bus and no libsecret each fail at once.
/// </summary>
[Trait("Category", "Keyring")]
[Collection(nameof(SavedSignInKeyringTests))]
public sealed class SavedSignInKeyringTests : IAsyncLifetime
{
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromMinutes(3);
    private readonly string _home = Directory.CreateTempSubdirectory("pcu-keyring-home-").FullName;
    private readonly string _certificate = Path.Combine(Path.GetTempPath(), "pcu-keyring-idp-" + Guid.NewGuid().ToString("N") + ".cer");
    private readonly CancellationTokenSource _stop = new();
    private SignInWorld _world = null!;
    private Task<int> _approvals = Task.FromResult(0);

    private string CacheFolder => Path.Combine(_home, ".local", "share", PersistentTokenCache.FolderName);

    public async Task InitializeAsync()
    {
        await Keyring.EnsureInstalledAsync();
        _world = await SignInWorld.StartAsync(customers: 3);
        await File.WriteAllBytesAsync(_certificate, _world.Idp.Certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Cert));
        _approvals = ApproveDeviceCodesAsync(_stop.Token);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _approvals;
        await _world.DisposeAsync();
        File.Delete(_certificate);
        Directory.Delete(_home, recursive: true);
    }

    [Fact]
    public async Task A_sign_in_saved_in_the_keyring_lets_a_new_process_sign_in_silently_under_the_modules_own_attributes_with_no_token_in_any_file()
    {
        var first = await Pwsh(Keyring.Setup.Unlocked, Connect("-ContextScope CurrentUser"));
        Assert.True(first.Contains("TOKENCACHE=Encrypted", StringComparison.Ordinal), first);
        Assert.True(Served(first), first);

        var second = await Pwsh(Keyring.Setup.Unlocked, Connect(""), "secret-tool search PartnerCenterUsage TokenCache 2>&1 | grep -c '^label = PartnerCenterUsage token cache' || true",
            "echo AZURE=$(secret-tool search MsalClientID Microsoft.Developer.IdentityService 2>/dev/null | grep -c '^label' || true)");
        Assert.True(second.Contains("SILENT=True", StringComparison.Ordinal), second);
        Assert.True(second.Contains("TOKENCACHE=Encrypted", StringComparison.Ordinal), second);
        Assert.True(Served(second), second);
        Assert.Contains("\n1\n", second.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.True(second.Contains("AZURE=0", StringComparison.Ordinal), second);
        Assert.Equal(1, Approved);
        Assert.Empty(Keyring.FilesWithTokens(_home));
        Assert.True(File.Exists(Path.Combine(CacheFolder, PersistentTokenCache.RecordFileName)));
    }

    [Fact]
    public async Task Two_processes_renewing_from_the_saved_sign_in_at_once_leave_a_cache_a_third_signs_in_from()
    {
        // Tokens that MSAL counts as expired at once: every silent sign-in redeems the refresh token and writes the cache.
        _world.Idp.AccessTokenLifetime = TimeSpan.FromMinutes(2);
        await Pwsh(Keyring.Setup.Unlocked, Connect("-ContextScope CurrentUser"));

        var both = await Pwsh(Keyring.Setup.Unlocked,
            $"{Child(Connect(""), "a")} & {Child(Connect(""), "b")} & wait",
            "cat \"$TMPDIR_OUT/a\" \"$TMPDIR_OUT/b\"");
        Assert.True(CountOf(both, "SILENT=True") == 2, both);

        var third = await Pwsh(Keyring.Setup.Unlocked, Connect(""));
        Assert.True(third.Contains("SILENT=True", StringComparison.Ordinal), third);
        Assert.Equal(1, Approved);
    }

    [Fact]
    public async Task Disconnect_with_RemoveSavedSignIn_leaves_no_keyring_item_and_no_file()
    {
        await Pwsh(Keyring.Setup.Unlocked, Connect("-ContextScope CurrentUser"));

        var output = await Pwsh(Keyring.Setup.Unlocked, Connect("") + "; Disconnect-PCPartner -RemoveSavedSignIn -Verbose 4>&1",
            "echo ITEMS=$(secret-tool search PartnerCenterUsage TokenCache 2>/dev/null | grep -c '^label' || true)");
        Assert.True(output.Contains("Removed the saved sign-in", StringComparison.Ordinal), output);
        Assert.True(output.Contains("Revoke-MgUserSignInSession", StringComparison.Ordinal), output);
        Assert.True(output.Contains("ITEMS=0", StringComparison.Ordinal), output);
        Assert.False(Directory.Exists(CacheFolder), "the module's folder is gone");
    }

    [Theory]
    [InlineData(Keyring.Setup.Locked, "locked")]
    [InlineData(Keyring.Setup.NoDbus, "Secret Service")]
    [InlineData(Keyring.Setup.NoLibsecret, "libsecret")]
    public async Task Without_a_usable_keyring_the_sign_in_says_why_stays_in_memory_and_writes_nothing(Keyring.Setup setup, string why)
    {
        if (setup == Keyring.Setup.Locked)
        {
            // A keyring made and unlocked once, then met again by a session that never unlocks it.
            await Pwsh(Keyring.Setup.Unlocked, "Write-Output ready");
        }

        var output = await Pwsh(setup, Connect("-ContextScope CurrentUser"));

        Assert.True(output.Contains("WARNING=The sign-in is not saved", StringComparison.Ordinal), output);
        Assert.True(output.Contains(why, StringComparison.OrdinalIgnoreCase), output);
        Assert.True(output.Contains("TOKENCACHE=Memory", StringComparison.Ordinal), output);
        Assert.True(Served(output), output);
        Assert.False(Directory.Exists(CacheFolder), "nothing of the module's cache is written");
        Assert.Empty(Keyring.FilesWithTokens(_home));
    }

    private int Approved => _world.Idp.TokenRequests.Count(r => r.GrantType.EndsWith("device_code", StringComparison.Ordinal) && r.StatusCode == 200);

    /// <summary>The connection's token was good for Partner Center: it listed customers.</summary>
    private static bool Served(string output) => System.Text.RegularExpressions.Regex.IsMatch(output, "CUSTOMERS=[1-9]");

    private static int CountOf(string text, string what) => text.Split(what).Length - 1;

    /// <summary>A pwsh command line that connects with <paramref name="parameters"/> and prints what the tests read.</summary>
    private string Connect(string parameters) =>
        "$ErrorActionPreference = 'Stop'; " +
        $"Import-Module '{Repo.Path("out", "PartnerCenterUsage", "PartnerCenterUsage.psd1")}'; " +
        $"$c = Connect-PCPartner -UseDeviceAuthentication -Endpoint '{_world.Api.BaseAddress}' -Authority '{_world.Idp.AuthorityHost}' " +
        $"-AuthorityCertificate ([System.Security.Cryptography.X509Certificates.X509Certificate2]::new('{_certificate}')) {parameters} " +
        "-InformationVariable iv -WarningVariable wv -WarningAction SilentlyContinue; " +
        "'TOKENCACHE=' + $c.TokenCache; 'SILENT=' + [bool]($iv | Where-Object { \"$_\" -like 'Signed in silently*' }); " +
        "$wv | ForEach-Object { 'WARNING=' + $_ }; 'CUSTOMERS=' + @(Get-PCCustomer).Count";

    private static string Child(string command, string outputName) =>
        $"dotnet \"$PCU_PWSH\" -NoProfile -NonInteractive -Command \"{command.Replace("\"", "\\\"").Replace("$", "\\$")}\" > \"$TMPDIR_OUT/{outputName}\" 2>&1";

    private async Task<string> Pwsh(Keyring.Setup setup, string commandOrScript, params string[] after)
    {
        var outFolder = Directory.CreateTempSubdirectory("pcu-keyring-out-").FullName;
        try
        {
            var body = commandOrScript.Contains("dotnet \"$PCU_PWSH\"", StringComparison.Ordinal)
                ? commandOrScript
                : Child(commandOrScript, "main") + " || rc=$?; cat \"$TMPDIR_OUT/main\"; [ -z \"$rc\" ]";
            var script = $"export TMPDIR_OUT='{outFolder}'\n{body}\n{string.Join("\n", after)}";
            var (exitCode, output) = await Keyring.RunAsync(_home, setup, script, ChildTimeout);
            Assert.True(exitCode == 0, $"exit {exitCode}:\n{output}");
            return output;
        }
        finally
        {
            Directory.Delete(outFolder, recursive: true);
        }
    }

    private async Task<int> ApproveDeviceCodesAsync(CancellationToken cancellationToken)
    {
        var approved = 0;
        try
        {
            while (true)
            {
                var code = await _world.Idp.WaitForDeviceCodeAsync(cancellationToken);
                _world.Idp.ApproveDeviceCode(code, IdentityProviderSimulator.PartnerA);
                approved++;
            }
        }
        catch (OperationCanceledException)
        {
            return approved;
        }
    }
}
