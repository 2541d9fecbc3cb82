using System;
using System.Threading;
using System.Threading.Tasks;
using PartnerCenterUsage.Engine.Authentication;
using PartnerCenterUsage.Engine.Http;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine;

/// <summary>
/// A signed-in connection to Partner Center: what it is (<see cref="Context"/>), the client its requests go
/// through, and the token provider behind it. The token stays inside the provider; nothing public exposes it.
/// </summary>
public sealed class PartnerConnection : IDisposable
{
    private readonly IAccessTokenProvider _tokens;
    private readonly string? _account;
    private readonly TimeProvider _clock;
    private readonly DateTimeOffset _connectedOn;
    private readonly object _lifetime = new();
    private int _leases;
    private bool _retired;
    private bool _released;

    internal PartnerConnection(PartnerCenterEnvironment environment, Uri apiEndpoint, IAccessTokenProvider tokens, PartnerCenterClientOptions? options, string? account = null)
    {
        Environment = environment;
        _tokens = tokens;
        _account = account;
        _clock = options?.TimeProvider ?? TimeProvider.System;
        _connectedOn = _clock.GetLocalNow();
        Client = new PartnerCenterClient(apiEndpoint, tokens, options);
    }

    /// <summary>The Partner Center environment.</summary>
    public PartnerCenterEnvironment Environment { get; }

    /// <summary>
    /// Now, on the connection's clock: what "renewing within 30 days" and "still returnable" are measured from, so that
    /// a test that gives the connection its clock decides what now is.
    /// </summary>
    public DateTimeOffset UtcNow => _clock.GetUtcNow();

    /// <summary>The client requests go through.</summary>
    public PartnerCenterClient Client { get; }

    /// <summary>
    /// The newest refresh token of a Secure Application Model connection, for the caller to keep for its next run; null
    /// for every other kind of sign-in.
    /// </summary>
    public RefreshTokenKeeper? KeptRefreshToken { get; internal set; }

    /// <summary>Where the connection's token cache lives: memory, or saved for later sessions (encrypted or plaintext).</summary>
    public TokenCacheProtection TokenCache { get; internal set; }

    /// <summary>True when the connection signed in silently from a saved sign-in.</summary>
    public bool SignedInSilently { get; internal set; }

    /// <summary>The claims of the current token, when it is a JWT.</summary>
    public AccessTokenClaims? Claims => _tokens.Current.Claims;

    /// <summary>What the connection is now (account, tenant, current token expiry...), safe to show.</summary>
    public PartnerContext Context
    {
        get
        {
            var token = _tokens.Current;
            var claims = token.Claims;
            return new PartnerContext(Environment, Client.BaseAddress, _tokens.SignInKind, _connectedOn)
            {
                Account = claims?.Account ?? _account,
                TenantId = claims?.TenantId,
                ApplicationId = claims?.ApplicationId,
                Scopes = _tokens.Scopes.Length > 0 ? string.Join(" ", _tokens.Scopes) : null,
                TokenExpiresOn = token.ExpiresOn,
                MfaAuthenticated = claims?.HasMfa,
                TokenCache = TokenCache,
            };
        }
    }

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
        return new PartnerConnection(
            environment, ResolveApiEndpoint(environment, endpoint), new StaticAccessTokenProvider(token, options?.TimeProvider ?? TimeProvider.System), options);
    }

    /// <summary>A connection that uses an access token obtained elsewhere, given as a SecureString (every character of it).</summary>
    /// <exception cref="PartnerCenterTokenException">The token is empty, or has white space or control characters.</exception>
    /// <exception cref="PartnerCenterEndpointException">The endpoint is refused.</exception>
    public static PartnerConnection FromAccessToken(
        System.Security.SecureString accessToken, PartnerCenterEnvironment environment, Uri? endpoint = null, PartnerCenterClientOptions? options = null) =>
        FromAccessToken(SecretText.Reveal(accessToken ?? throw new ArgumentNullException(nameof(accessToken))), environment, endpoint, options);

    /// <summary>
    /// Holds the connection for a command that runs on it: however the session's connection changes meanwhile (a
    /// Disconnect-, a Connect- in the same pipeline), the HTTP client stays open until the last lease is disposed.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The connection was already released.</exception>
    public IDisposable Lease()
    {
        lock (_lifetime)
        {
            if (_released)
            {
                throw new ObjectDisposedException(nameof(PartnerConnection), "The connection was closed.");
            }

            _leases++;
        }

        return new ConnectionLease(this);
    }

    /// <summary>
    /// Forgets the sign-in now: MSAL's token cache is cleared, so it cannot be renewed or found by a later sign-in. The
    /// HTTP client is released once no command holds the connection (<see cref="Lease"/>): a command still running
    /// ends with the token it has.
    /// </summary>
    public async Task SignOutAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _tokens.SignOutAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Dispose();
        }
    }

    /// <summary>A cancellation source that cancels after <paramref name="delay"/> on the connection's clock.</summary>
    public CancellationTokenSource CreateTimeout(TimeSpan delay) => _clock.CreateCancellationTokenSource(delay);

    /// <summary>Retires the connection: its HTTP client is released now, or when the last command holding it ends.</summary>
    public void Dispose()
    {
        lock (_lifetime)
        {
            _retired = true;
            if (_leases > 0 || _released)
            {
                return;
            }

            _released = true;
        }

        Client.Dispose();
    }

    private void Release()
    {
        lock (_lifetime)
        {
            if (--_leases > 0 || !_retired || _released)
            {
                return;
            }

            _released = true;
        }

        Client.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => Context.ToString();

    private sealed class ConnectionLease(PartnerConnection connection) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                connection.Release();
            }
        }
    }

    internal static Uri ResolveApiEndpoint(PartnerCenterEnvironment environment, Uri? endpoint) =>
        endpoint is null ? PartnerCenterEndpoints.GetApiEndpoint(environment) : PartnerCenterEndpoints.NormalizeCustomEndpoint(endpoint);

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
