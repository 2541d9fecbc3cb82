using PartnerCenterUsage.Engine.Authentication;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Engine;

public sealed class AccessTokenClaimsTests
{
    [Fact]
    public void A_user_token_gives_account_tenant_expiry_application_and_MFA()
    {
        var expires = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds());
        var tenant = Guid.NewGuid();

        var claims = AccessTokenClaims.TryParse(TestTokens.User(expires, "ops@partner.example", tenant))!;

        Assert.Equal("ops@partner.example", claims.Account);
        Assert.Equal(tenant, claims.TenantId);
        Assert.Equal(expires, claims.ExpiresOn);
        Assert.Equal("04b07795-8ddb-461a-bbee-02f9e1bf7b46", claims.ApplicationId);
        Assert.True(claims.HasMfa);
        Assert.False(claims.IsAppOnly);
    }

    [Fact]
    public void Amr_without_mfa_says_no_MFA_and_no_amr_says_nothing()
    {
        Assert.False(AccessTokenClaims.TryParse(TestTokens.User(DateTimeOffset.UtcNow, amr: ["pwd"]))!.HasMfa);
        Assert.Null(AccessTokenClaims.TryParse(TestTokens.Jwt(new { upn = "a@b.c" }))!.HasMfa);
    }

    [Theory]
    [InlineData("""{"idtyp": "app", "roles": ["x"]}""")]
    [InlineData("""{"roles": ["x"], "appid": "a"}""")]
    public void An_application_token_is_app_only(string payload)
    {
        var token = TestTokens.Jwt(System.Text.Json.JsonDocument.Parse(payload).RootElement);

        Assert.True(AccessTokenClaims.TryParse(token)!.IsAppOnly);
    }

    [Theory]
    [InlineData("simulator-token")]
    [InlineData("a.b.c")]
    [InlineData("a.!!!.c")]
    [InlineData("a..c")]
    [InlineData("")]
    public void A_token_that_is_not_a_JWT_gives_no_claims(string token)
    {
        Assert.Null(AccessTokenClaims.TryParse(token));
    }
}
