using System.Text.Json;
using PartnerCenterUsage.Engine.Authentication;
using PartnerCenterUsage.Models;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>The saved token cache without a keyring: its bound, the plaintext file's permissions, the record beside it.</summary>
public sealed class PersistentTokenCacheTests : IDisposable
{
    private readonly string _folder = Path.Combine(Directory.CreateTempSubdirectory("pcu-cache-").FullName, PersistentTokenCache.FolderName);

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_folder)!, recursive: true);

    [Fact]
    public async Task A_store_that_never_answers_fails_when_the_bound_passes_on_the_clock_and_says_so()
    {
        var clock = new TestClock(autoAdvance: false);
        var never = new TaskCompletionSource<bool>();

        var open = PersistentTokenCache.BoundedAsync(() => never.Task, TimeSpan.FromSeconds(15), clock, "the Linux Secret Service", CancellationToken.None);
        Assert.False(open.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(15));

        var failure = await Assert.ThrowsAsync<PartnerCenterTokenCacheException>(() => open);
        Assert.True(failure.TimedOut);
        Assert.StartsWith("The Linux Secret Service did not answer within 15 s", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_that_fails_says_why_in_its_own_words()
    {
        var failure = await Assert.ThrowsAsync<PartnerCenterTokenCacheException>(() => PersistentTokenCache.BoundedAsync<bool>(
            () => throw new DllNotFoundException("libsecret-1.so.0"), TimeSpan.FromSeconds(15), new TestClock(autoAdvance: false), "the Linux Secret Service", CancellationToken.None));

        Assert.False(failure.TimedOut);
        Assert.Contains("libsecret is not installed", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_plaintext_cache_is_readable_by_its_owner_only_and_signs_in_silently_the_next_time()
    {
        await using var world = await SignInWorld.StartAsync(customers: 1);
        var cache = await PersistentTokenCache.OpenAsync(_folder, plaintext: true, TimeSpan.FromSeconds(15), TimeProvider.System, CancellationToken.None);
        Assert.Equal(TokenCacheProtection.Plaintext, cache.Protection);

        using (var first = await SignInAsync(world, cache))
        {
            Assert.False(first.SignedInSilently);
            Assert.Equal(TokenCacheProtection.Plaintext, first.Context.TokenCache);
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cache.CacheFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cache.RecordFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_folder));

        using var second = await SignInAsync(world, cache, expectPrompt: false);
        Assert.True(second.SignedInSilently);
        Assert.Equal(IdentityProviderSimulator.PartnerA.Upn, second.Context.Account);
        Assert.Equal(1, world.Idp.TokenRequests.Count(r => r.GrantType.EndsWith("device_code", StringComparison.Ordinal) && r.StatusCode == 200));
    }

    [Fact]
    public async Task The_record_beside_the_cache_names_the_sign_in_and_holds_no_token()
    {
        await using var world = await SignInWorld.StartAsync(customers: 1);
        var cache = await PersistentTokenCache.OpenAsync(_folder, plaintext: true, TimeSpan.FromSeconds(15), TimeProvider.System, CancellationToken.None);
        using (await SignInAsync(world, cache))
        {
        }

        var text = await File.ReadAllTextAsync(cache.RecordFile);
        using var record = JsonDocument.Parse(text);
        var entry = Assert.Single(record.RootElement.EnumerateArray());
        Assert.Equal(IdentityProviderSimulator.PartnerA.Upn, entry.GetProperty("account").GetString());
        Assert.Equal(IdentityProviderSimulator.PartnerA.TenantId.ToString(), entry.GetProperty("tenantId").GetString());
        Assert.Equal("Global", entry.GetProperty("environment").GetString());
        Assert.Equal("DeviceCode", entry.GetProperty("signInKind").GetString());
        Assert.Equal("Plaintext", entry.GetProperty("tokenCache").GetString());
        Assert.False(string.IsNullOrEmpty(entry.GetProperty("clientId").GetString()));
        Assert.True(entry.TryGetProperty("savedAt", out _));
        Assert.DoesNotContain("eyJ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("rt.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removing_the_saved_sign_ins_of_a_plaintext_cache_leaves_no_file_and_asks_no_keyring()
    {
        await using var world = await SignInWorld.StartAsync(customers: 1);
        var cache = await PersistentTokenCache.OpenAsync(_folder, plaintext: true, TimeSpan.FromSeconds(15), TimeProvider.System, CancellationToken.None);
        using (await SignInAsync(world, cache))
        {
        }

        Assert.True(await PersistentTokenCache.RemoveSavedSignInsAsync(_folder, TimeSpan.FromSeconds(15), new TestClock(), CancellationToken.None));

        Assert.False(Directory.Exists(_folder));
        Assert.False(await PersistentTokenCache.RemoveSavedSignInsAsync(_folder, TimeSpan.FromSeconds(15), new TestClock(), CancellationToken.None));
    }

    [Fact]
    public async Task A_saved_secure_application_model_sign_in_keeps_a_monthly_job_alive_past_90_days_with_no_refresh_token_given()
    {
        var clock = new TestClock(autoAdvance: false);
        await using var world = await SignInWorld.StartAsync(customers: 1, clock: clock);
        var cache = await PersistentTokenCache.OpenAsync(_folder, plaintext: true, TimeSpan.FromSeconds(15), clock, CancellationToken.None);
        var secret = new System.Net.NetworkCredential(string.Empty, world.AppSecret).SecurePassword;
        PartnerSignInOptions Saved()
        {
            var options = world.Options(SignInWorld.PartnerAppId);
            options.TokenCache = cache;
            return options;
        }

        // Once: the refresh token is given; then every month a new session with nothing but the saved sign-in.
        var given = new System.Net.NetworkCredential(string.Empty, world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, SignInWorld.PartnerAppId)).SecurePassword;
        using (var first = await PartnerSignIn.SecureApplicationModelAsync(Saved(), given, secret, certificate: null, CancellationToken.None))
        {
            Assert.False(first.SignedInSilently);
            Assert.Equal(TokenCacheProtection.Plaintext, first.TokenCache);
        }

        var redeemed = world.TokenRequests("refresh_token");
        for (var month = 1; month <= 15; month++)
        {
            clock.Advance(TimeSpan.FromDays(30));
            using var job = await PartnerSignIn.SecureApplicationModelAsync(Saved(), refreshToken: null, secret, certificate: null, CancellationToken.None);

            Assert.True(job.SignedInSilently, $"month {month}");
            Assert.Equal(redeemed + month, world.TokenRequests("refresh_token"));
            await job.Client.GetCustomerLicenseUsageAsync(SimulatorOptions.SeedCustomerId, new PartnerCenterUsage.Engine.PartnerCenterOperation(), CancellationToken.None);
        }

        Assert.Contains(cache.ReadSavedSignIns(), s => s.SignInKind == nameof(PartnerSignInKind.SecureApplicationModel));
    }

    [Fact]
    public async Task Without_a_saved_sign_in_the_secure_application_model_asks_for_the_refresh_token()
    {
        await using var world = await SignInWorld.StartAsync(customers: 1);
        var cache = await PersistentTokenCache.OpenAsync(_folder, plaintext: true, TimeSpan.FromSeconds(15), TimeProvider.System, CancellationToken.None);
        var options = world.Options(SignInWorld.PartnerAppId);
        options.TokenCache = cache;

        var error = await Assert.ThrowsAsync<PartnerCenterUsage.Engine.PartnerCenterSignInException>(() =>
            PartnerSignIn.SecureApplicationModelAsync(options, refreshToken: null, new System.Net.NetworkCredential(string.Empty, world.AppSecret).SecurePassword, certificate: null, CancellationToken.None));

        Assert.Contains("give the refresh token once", error.Message, StringComparison.Ordinal);
        Assert.Equal(PartnerCenterUsage.Engine.SignInFailure.NoSavedSignIn, error.Failure);
        Assert.Equal(0, world.TokenRequests("refresh_token"));
    }

    [Fact]
    public async Task A_job_sharing_the_saved_cache_with_the_users_browser_sign_in_keeps_only_its_own_applications_refresh_token()
    {
        await using var world = await SignInWorld.StartAsync(customers: 1);
        var cache = await PersistentTokenCache.OpenAsync(_folder, plaintext: true, TimeSpan.FromSeconds(15), TimeProvider.System, CancellationToken.None);
        using (await SignInAsync(world, cache))
        {
        }

        var sam = world.Options(SignInWorld.PartnerAppId);
        sam.TokenCache = cache;
        var given = new System.Net.NetworkCredential(string.Empty, world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, SignInWorld.PartnerAppId)).SecurePassword;
        var secret = new System.Net.NetworkCredential(string.Empty, world.AppSecret).SecurePassword;
        using var job = await PartnerSignIn.SecureApplicationModelAsync(sam, given, secret, certificate: null, CancellationToken.None);

        // What a vault or script block would hand the next run: the job's application's token, which it can redeem
        // (the public client's would be refused, AADSTS70000, and must never leave the cache).
        var kept = job.KeptRefreshToken!.Copy()!;
        using var next = await PartnerSignIn.SecureApplicationModelAsync(world.Options(SignInWorld.PartnerAppId), kept, secret, certificate: null, CancellationToken.None);
        Assert.NotNull(next.Context.Account);
    }

    private static async Task<PartnerCenterUsage.Engine.PartnerConnection> SignInAsync(SignInWorld world, PersistentTokenCache cache, bool expectPrompt = true)
    {
        var options = world.Options();
        options.TokenCache = cache;
        var signIn = PartnerSignIn.DeviceCodeAsync(options, CancellationToken.None);
        if (expectPrompt)
        {
            var code = await world.Idp.WaitForDeviceCodeAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
            world.Idp.ApproveDeviceCode(code, IdentityProviderSimulator.PartnerA);
        }

        return await signIn.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
