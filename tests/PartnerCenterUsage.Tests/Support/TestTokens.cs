using System.Text.Json;

namespace PartnerCenterUsage.Tests.Support;

/// <summary>Unsigned JWTs shaped like Entra ID access tokens, for claim reading.</summary>
public static class TestTokens
{
    public static string Jwt(object payload) =>
        $"{Encode(new { alg = "none", typ = "JWT" })}.{Encode(payload)}.c2lnbmF0dXJl";

    public static string User(DateTimeOffset expires, string upn = "admin@contoso-partner.onmicrosoft.com", Guid? tenantId = null, string[]? amr = null) =>
        Jwt(new Dictionary<string, object>
        {
            ["aud"] = "https://api.partnercenter.microsoft.com",
            ["tid"] = (tenantId ?? Guid.Parse("11111111-2222-3333-4444-555555555555")).ToString(),
            ["upn"] = upn,
            ["appid"] = "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
            ["scp"] = "user_impersonation",
            ["amr"] = amr ?? ["pwd", "mfa"],
            ["exp"] = expires.ToUnixTimeSeconds(),
        });

    private static string Encode(object value) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(value)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
