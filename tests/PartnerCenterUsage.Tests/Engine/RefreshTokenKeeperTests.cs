using System.Net;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Authentication;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>A Secure Application Model connection keeps the newest refresh token, read from MSAL's own cache.</summary>
public sealed class RefreshTokenKeeperTests
{
    [Fact]
    public async Task The_exchange_at_connect_and_every_renewal_give_a_new_refresh_token_the_keeper_hands_out_and_announces()
    {
        var clock = new TestClock(autoAdvance: false);
        await using var world = await SignInWorld.StartAsync(clock: clock);
        var given = world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, SignInWorld.PartnerAppId);
        using var connection = await PartnerSignIn.SecureApplicationModelAsync(
            world.Options(SignInWorld.PartnerAppId), Secure(given), Secure(world.AppSecret), certificate: null, CancellationToken.None);
        var keeper = Assert.IsType<RefreshTokenKeeper>(connection.KeptRefreshToken);
        var announced = new List<RefreshTokenRenewedEventArgs>();
        keeper.Renewed += (_, e) => announced.Add(e);
        var atConnect = Reveal(keeper.Copy()!);
        var connectedOn = keeper.IssuedOn;

        clock.Advance(TimeSpan.FromMinutes(61));
        await connection.Client.GetCustomerLicenseUsageAsync(SimulatorOptions.SeedCustomerId, new PartnerCenterOperation(), CancellationToken.None);
        var renewed = Reveal(keeper.Copy()!);

        Assert.NotEqual(given, atConnect);
        Assert.NotEqual(atConnect, renewed);
        Assert.True(world.Idp.IsRedeemable(renewed));
        Assert.Equal(2, keeper.Version);
        var only = Assert.Single(announced);
        Assert.Equal(2, only.Version);
        Assert.Equal(clock.GetUtcNow(), only.IssuedOn);
        Assert.Equal(clock.GetUtcNow(), keeper.IssuedOn);
        Assert.True(connectedOn < keeper.IssuedOn);
        Assert.DoesNotContain(renewed, keeper.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_copy_is_read_only_and_the_keeper_shows_no_token_as_a_string()
    {
        await using var world = await SignInWorld.StartAsync();
        using var connection = await world.ConnectAsync(IdentityProviderSimulator.PartnerA);

        var copy = connection.KeptRefreshToken!.Copy()!;

        Assert.True(copy.IsReadOnly());
        Assert.DoesNotContain(typeof(RefreshTokenKeeper).GetProperties(), p => p.PropertyType == typeof(string));
    }

    [Fact]
    public async Task Other_sign_ins_keep_no_refresh_token()
    {
        using var connection = PartnerConnection.FromAccessToken("token", PartnerCenterEnvironment.Global);

        Assert.Null(connection.KeptRefreshToken);
        await Task.CompletedTask;
    }

    [Theory]
    [InlineData("expire", SignInFailure.RefreshTokenExpired)]
    [InlineData("revoke", SignInFailure.RefreshTokenRevoked)]
    [InlineData("frequency", SignInFailure.RefreshTokenRevoked)]
    [InlineData("mfa", SignInFailure.MfaRequired)]
    [InlineData("mfa-expired", SignInFailure.MfaRequired)]
    public async Task A_refused_refresh_token_says_why_at_connect_and_at_renewal(string what, SignInFailure expected)
    {
        var clock = new TestClock(autoAdvance: false);
        await using var world = await SignInWorld.StartAsync(clock: clock);
        var given = world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, SignInWorld.PartnerAppId);
        using var connection = await PartnerSignIn.SecureApplicationModelAsync(
            world.Options(SignInWorld.PartnerAppId), Secure(given), Secure(world.AppSecret), certificate: null, CancellationToken.None);
        switch (what)
        {
            case "expire": clock.Advance(TimeSpan.FromDays(90)); break;
            case "revoke": world.Idp.RevokeRefreshTokens(); break;
            case "frequency": world.Idp.EndRefreshTokensBySignInFrequency(); break;
            case "mfa": world.Idp.RequireMultiFactorAuthentication(); break;
            default: world.Idp.RequireMultiFactorAuthentication(presentedMfaExpired: true); break;
        }

        clock.Advance(TimeSpan.FromMinutes(61));
        var atConnect = await Assert.ThrowsAsync<PartnerCenterSignInException>(() => PartnerSignIn.SecureApplicationModelAsync(
            world.Options(SignInWorld.PartnerAppId), Secure(given), Secure(world.AppSecret), certificate: null, CancellationToken.None));
        var atRenewal = await Assert.ThrowsAsync<PartnerCenterSignInException>(() =>
            connection.Client.GetCustomerLicenseUsageAsync(SimulatorOptions.SeedCustomerId, new PartnerCenterOperation(), CancellationToken.None));

        Assert.Equal(expected, atConnect.Failure);
        Assert.False(atConnect.DuringRenewal);
        Assert.Equal(expected, atRenewal.Failure);
        Assert.True(atRenewal.DuringRenewal);
    }

    private static System.Security.SecureString Secure(string text) => new NetworkCredential(string.Empty, text).SecurePassword;

    private static string Reveal(System.Security.SecureString secret) => new NetworkCredential(string.Empty, secret).Password;
}
