using System;
using System.Text.Json.Serialization;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine.Authentication;

/// <summary>
/// What the module remembers, in plain JSON beside the token cache, about a sign-in it saved: nothing secret, only
/// what tells one saved sign-in from another and when it was made.
/// </summary>
public sealed class SavedSignIn
{
    /// <summary>The account (UPN).</summary>
    [JsonPropertyName("account")]
    public string? Account { get; set; }

    /// <summary>The tenant the account signed in to.</summary>
    [JsonPropertyName("tenantId")]
    public string? TenantId { get; set; }

    /// <summary>The Partner Center environment.</summary>
    [JsonPropertyName("environment")]
    public string? Environment { get; set; }

    /// <summary>The application (client) id the tokens were issued to.</summary>
    [JsonPropertyName("clientId")]
    public string? ClientId { get; set; }

    /// <summary>How the account signed in (Interactive, DeviceCode).</summary>
    [JsonPropertyName("signInKind")]
    public string? SignInKind { get; set; }

    /// <summary>How the cache that holds the tokens is protected.</summary>
    [JsonPropertyName("tokenCache")]
    public string? TokenCache { get; set; }

    /// <summary>When the sign-in was saved (or last renewed from the saved cache).</summary>
    [JsonPropertyName("savedAt")]
    public DateTimeOffset SavedAt { get; set; }

    internal bool Matches(SavedSignIn other) =>
        string.Equals(Account, other.Account, StringComparison.OrdinalIgnoreCase)
        && string.Equals(ClientId, other.ClientId, StringComparison.OrdinalIgnoreCase)
        && string.Equals(SignInKind, other.SignInKind, StringComparison.Ordinal)
        && string.Equals(Environment, other.Environment, StringComparison.Ordinal);

    internal static SavedSignIn Of(string? account, string? tenantId, PartnerCenterEnvironment environment, string clientId, PartnerSignInKind kind, TokenCacheProtection protection, DateTimeOffset at) => new()
    {
        Account = account,
        TenantId = tenantId,
        Environment = environment.ToString(),
        ClientId = clientId,
        SignInKind = kind.ToString(),
        TokenCache = protection.ToString(),
        SavedAt = at,
    };
}
