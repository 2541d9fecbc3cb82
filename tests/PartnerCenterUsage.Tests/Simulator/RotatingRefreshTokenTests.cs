using System.Net;
using System.Text.Json;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Simulator;

/// <summary>
/// The simulator's refresh tokens rotate and die as Entra's do: each redemption returns a new one, the old one keeps
/// working until it dies 90 days after it was issued, and refusals carry Entra's error, AADSTS code and shape.
/// </summary>
public sealed class RotatingRefreshTokenTests
{
    [Fact]
    public async Task Each_redemption_returns_a_new_refresh_token_and_the_redeemed_one_keeps_working()
    {
        await using var world = await SignInWorld.StartAsync(clock: new TestClock(autoAdvance: false));
        var first = world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, SignInWorld.PartnerAppId);

        var second = await RedeemAsync(world, first);
        var again = await RedeemAsync(world, first);

        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.NotEqual(first, second.RefreshToken);
        Assert.NotEqual(second.RefreshToken, again.RefreshToken);
        Assert.True(world.Idp.IsRedeemable(first));
        Assert.Equal(3, world.Idp.RefreshTokensIssued);
    }

    [Fact]
    public async Task A_refresh_token_dies_90_days_after_it_was_issued_however_often_it_was_used_with_AADSTS700082()
    {
        var clock = new TestClock(autoAdvance: false);
        await using var world = await SignInWorld.StartAsync(clock: clock);
        var first = world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, SignInWorld.PartnerAppId);
        string? newest = null;
        for (var day = 0; day < 89; day += 10)
        {
            newest = (await RedeemAsync(world, first)).RefreshToken;
            clock.Advance(TimeSpan.FromDays(10));
        }

        // Day 90: the token used every ten days dies on its own schedule; the one issued on day 80 lives on.
        var expired = await RedeemAsync(world, first);
        var renewed = await RedeemAsync(world, newest!);

        Assert.Equal(HttpStatusCode.BadRequest, expired.Status);
        Assert.Equal("invalid_grant", expired.Error);
        Assert.Equal([700082], expired.ErrorCodes);
        Assert.StartsWith("AADSTS700082: The refresh token has expired due to inactivity.", expired.Description, StringComparison.Ordinal);
        Assert.Contains("90.00:00:00", expired.Description, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, renewed.Status);
    }

    [Fact]
    public async Task The_lifetime_is_configurable()
    {
        var clock = new TestClock(autoAdvance: false);
        await using var world = await SignInWorld.StartAsync(clock: clock);
        world.Idp.RefreshTokenLifetime = TimeSpan.FromDays(1);
        var token = world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, SignInWorld.PartnerAppId);
        clock.Advance(TimeSpan.FromDays(1));

        var refused = await RedeemAsync(world, token);

        Assert.Equal([700082], refused.ErrorCodes);
    }

    [Theory]
    [InlineData("revoke", "invalid_grant", 50173)]
    [InlineData("frequency", "invalid_grant", 70043)]
    [InlineData("mfa", "interaction_required", 50076)]
    [InlineData("mfa-expired", "interaction_required", 50078)]
    public async Task Refused_refresh_tokens_answer_Entras_error_and_code(string what, string error, int code)
    {
        await using var world = await SignInWorld.StartAsync(clock: new TestClock(autoAdvance: false));
        var token = world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, SignInWorld.PartnerAppId);
        var otherUser = world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerB, SignInWorld.PartnerAppId);
        switch (what)
        {
            case "revoke": world.Idp.RevokeRefreshTokens(IdentityProviderSimulator.PartnerA); break;
            case "frequency": world.Idp.EndRefreshTokensBySignInFrequency(IdentityProviderSimulator.PartnerA); break;
            case "mfa": world.Idp.RequireMultiFactorAuthentication(IdentityProviderSimulator.PartnerA); break;
            default: world.Idp.RequireMultiFactorAuthentication(IdentityProviderSimulator.PartnerA, presentedMfaExpired: true); break;
        }

        var refused = await RedeemAsync(world, token);

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal(error, refused.Error);
        Assert.Equal([code], refused.ErrorCodes);
        Assert.StartsWith($"AADSTS{code}: ", refused.Description, StringComparison.Ordinal);
        Assert.Equal(error == "interaction_required", refused.Body.RootElement.TryGetProperty("claims", out _));
        Assert.Equal(HttpStatusCode.OK, (await RedeemAsync(world, otherUser)).Status);
    }

    [Fact]
    public async Task A_refresh_token_of_another_client_is_refused_with_AADSTS70000()
    {
        await using var world = await SignInWorld.StartAsync();
        var token = world.Idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, "another-client");

        var refused = await RedeemAsync(world, token);

        Assert.Equal([70000], refused.ErrorCodes);
    }

    private static async Task<Redemption> RedeemAsync(SignInWorld world, string refreshToken)
    {
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => c!.Thumbprint == world.Idp.Certificate.Thumbprint });
        using var response = await http.PostAsync(new Uri(world.Idp.AuthorityHost, "organizations/oauth2/v2.0/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = SignInWorld.PartnerAppId,
            ["client_secret"] = world.AppSecret,
            ["refresh_token"] = refreshToken,
            ["scope"] = "https://api.partnercenter.microsoft.com/user_impersonation offline_access",
        }));
        return new Redemption(response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()));
    }

    private sealed record Redemption(HttpStatusCode Status, JsonDocument Body)
    {
        public string? RefreshToken => Body.RootElement.TryGetProperty("refresh_token", out var t) ? t.GetString() : null;

        public string? Error => Body.RootElement.TryGetProperty("error", out var e) ? e.GetString() : null;

        public string? Description => Body.RootElement.TryGetProperty("error_description", out var d) ? d.GetString() : null;

        public int[] ErrorCodes => Body.RootElement.TryGetProperty("error_codes", out var c) ? [.. c.EnumerateArray().Select(x => x.GetInt32())] : [];
    }
}
