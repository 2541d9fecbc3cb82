using System;
using PartnerCenterUsage.Engine.Authentication;
using PartnerCenterUsage.Engine.Http;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine;

/// <summary>
/// A signed-in connection to Partner Center: what it is (<see cref="Context"/>) and the client its
/// requests go through. The token stays inside the provider; nothing public exposes it.
/// </summary>
public sealed class PartnerConnection : IDisposable
{
    private PartnerConnection(PartnerContext context, PartnerCenterClient client, AccessTokenClaims? claims)
    {
        Context = context;
        Client = client;
        Claims = claims;
    }

    /// <summary>What the connection is, safe to show.</summary>
    public PartnerContext Context { get; }

    /// <summary>The client requests go through.</summary>
    public PartnerCenterClient Client { get; }

    /// <summary>The claims of the token the connection was made with, when it is a JWT.</summary>
    public AccessTokenClaims? Claims { get; }

    /// <summary>
    /// A connection that uses an access token obtained elsewhere. Makes no request: the token is checked by
    /// Partner Center on first use.
    /// </summary>
    /// <param name="accessToken">The bearer token; a leading "Bearer " is tolerated.</param>
    /// <param name="environment">The environment; it chooses the API base URL unless <paramref name="endpoint"/> is given.</param>
    /// <param name="endpoint">A custom API base URL (https, or http to loopback).</param>
    /// <param name="options">Client settings.</param>
    /// <exception cref="PartnerCenterTokenException">The token is empty.</exception>
    /// <exception cref="PartnerCenterEndpointException">The endpoint is refused.</exception>
    public static PartnerConnection FromAccessToken(
        string accessToken, PartnerCenterEnvironment environment, Uri? endpoint = null, PartnerCenterClientOptions? options = null)
    {
        var token = NormalizeToken(accessToken);
        var apiEndpoint = endpoint is null
            ? PartnerCenterEndpoints.GetApiEndpoint(environment)
            : PartnerCenterEndpoints.NormalizeCustomEndpoint(endpoint);
        var claims = AccessTokenClaims.TryParse(token);
        var context = new PartnerContext(environment, apiEndpoint, PartnerSignInKind.AccessToken, DateTimeOffset.Now)
        {
            Account = claims?.Account,
            TenantId = claims?.TenantId,
            ApplicationId = claims?.ApplicationId,
            TokenExpiresOn = claims?.ExpiresOn,
            MfaAuthenticated = claims?.HasMfa,
        };
        var client = new PartnerCenterClient(apiEndpoint, new StaticAccessTokenProvider(token), options);
        return new PartnerConnection(context, client, claims);
    }

    /// <inheritdoc/>
    public void Dispose() => Client.Dispose();

    /// <inheritdoc/>
    public override string ToString() => Context.ToString();

    private static string NormalizeToken(string accessToken)
    {
        var token = (accessToken ?? string.Empty).Trim();
        if (token.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = token.Substring("Bearer ".Length).Trim();
        }

        if (token.Length == 0)
        {
            throw new PartnerCenterTokenException("The access token is empty.");
        }

        foreach (var c in token)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                throw new PartnerCenterTokenException(
                    "The access token contains white space or control characters; a bearer token is one unbroken string.");
            }
        }

        return token;
    }
}
