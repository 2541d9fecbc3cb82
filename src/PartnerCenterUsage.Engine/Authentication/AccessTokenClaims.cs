using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace PartnerCenterUsage.Engine.Authentication;

/// <summary>
/// The claims of a JWT access token that matter to a user: who, which tenant, until when, and whether MFA
/// was done. Only the payload is read; the signature is the service's business. Tokens that are not JWTs
/// (opaque tokens, test tokens) give no claims.
/// </summary>
public sealed class AccessTokenClaims
{
    private AccessTokenClaims()
    {
    }

    /// <summary>The user's UPN (upn, preferred_username, unique_name or email).</summary>
    public string? Account { get; private set; }

    /// <summary>The tenant (tid).</summary>
    public Guid? TenantId { get; private set; }

    /// <summary>The application the token was issued to (appid or azp).</summary>
    public string? ApplicationId { get; private set; }

    /// <summary>The expiry (exp).</summary>
    public DateTimeOffset? ExpiresOn { get; private set; }

    /// <summary>The delegated scopes (scp), or the application roles (roles) of an app-only token.</summary>
    public string[] Scopes { get; private set; } = Array.Empty<string>();

    /// <summary>The authentication methods (amr).</summary>
    public IReadOnlyList<string> AuthenticationMethods { get; private set; } = Array.Empty<string>();

    /// <summary>True when the token was issued to an application alone (no user): idtyp=app, or roles without scp.</summary>
    public bool IsAppOnly { get; private set; }

    /// <summary>True when amr says mfa, false when amr is present without it, null when the token has no amr.</summary>
    public bool? HasMfa { get; private set; }

    /// <summary>Reads the claims of <paramref name="accessToken"/>; null when it is not a JWT with a JSON payload.</summary>
    public static AccessTokenClaims? TryParse(string accessToken)
    {
        if (string.IsNullOrEmpty(accessToken))
        {
            return null;
        }

        var parts = accessToken.Split('.');
        if (parts.Length != 3 || parts[1].Length == 0)
        {
            return null;
        }

        byte[] payload;
        try
        {
            payload = Base64UrlDecode(parts[1]);
        }
        catch (FormatException)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == JsonValueKind.Object ? FromPayload(document.RootElement) : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static AccessTokenClaims FromPayload(JsonElement payload)
    {
        var claims = new AccessTokenClaims
        {
            Account = FirstString(payload, "upn", "preferred_username", "unique_name", "email"),
            ApplicationId = FirstString(payload, "appid", "azp"),
        };

        if (Guid.TryParse(FirstString(payload, "tid"), out var tenantId))
        {
            claims.TenantId = tenantId;
        }

        if (payload.TryGetProperty("exp", out var exp) && exp.ValueKind == JsonValueKind.Number && exp.TryGetInt64(out var seconds))
        {
            try
            {
                claims.ExpiresOn = DateTimeOffset.FromUnixTimeSeconds(seconds);
            }
            catch (ArgumentOutOfRangeException)
            {
                // An absurd exp says nothing useful; leave the expiry unknown.
            }
        }

        if (payload.TryGetProperty("amr", out var amr) && amr.ValueKind == JsonValueKind.Array)
        {
            var methods = new List<string>();
            foreach (var method in amr.EnumerateArray())
            {
                if (method.ValueKind == JsonValueKind.String)
                {
                    methods.Add(VisibleText.Of(method.GetString())!);
                }
            }

            claims.AuthenticationMethods = methods;
            claims.HasMfa = methods.Exists(m => string.Equals(m, "mfa", StringComparison.OrdinalIgnoreCase));
        }

        if (FirstString(payload, "scp") is { } scp)
        {
            claims.Scopes = scp.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
        }
        else if (payload.TryGetProperty("roles", out var roles) && roles.ValueKind == JsonValueKind.Array)
        {
            var names = new List<string>();
            foreach (var role in roles.EnumerateArray())
            {
                if (role.ValueKind == JsonValueKind.String)
                {
                    names.Add(VisibleText.Of(role.GetString())!);
                }
            }

            claims.Scopes = names.ToArray();
        }

        var idType = FirstString(payload, "idtyp");
        claims.IsAppOnly = string.Equals(idType, "app", StringComparison.OrdinalIgnoreCase)
            || (idType is null && payload.TryGetProperty("roles", out _) && !payload.TryGetProperty("scp", out _));
        return claims;
    }

    // The claims are shown (Get-PCContext): made visible, like every text that comes from elsewhere.
    private static string? FirstString(JsonElement payload, params string[] names)
    {
        foreach (var name in names)
        {
            if (payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
            {
                var text = value.GetString();
                if (!string.IsNullOrEmpty(text))
                {
                    return VisibleText.Of(text);
                }
            }
        }

        return null;
    }

    private static byte[] Base64UrlDecode(string text)
    {
        var builder = new StringBuilder(text.Length + 3).Append(text).Replace('-', '+').Replace('_', '/');
        switch (text.Length % 4)
        {
            case 2: builder.Append("=="); break;
            case 3: builder.Append('='); break;
            case 1: throw new FormatException("Not base64url.");
        }

        return Convert.FromBase64String(builder.ToString());
    }
}
