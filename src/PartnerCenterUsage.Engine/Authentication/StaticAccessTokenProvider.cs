using System;
using System.Threading;
using System.Threading.Tasks;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine.Authentication;

/// <summary>A token the user obtained elsewhere. It cannot be renewed: when it expires, the user connects again.</summary>
internal sealed class StaticAccessTokenProvider : IAccessTokenProvider
{
    private static readonly Task<AccessToken?> CannotRenew = Task.FromResult<AccessToken?>(null);
    private readonly Task<AccessToken> _token;

    public StaticAccessTokenProvider(string accessToken, TimeProvider clock)
    {
        _token = Task.FromResult(new AccessToken(accessToken ?? throw new ArgumentNullException(nameof(accessToken)), null, clock.GetUtcNow()));
    }

    public PartnerSignInKind SignInKind => PartnerSignInKind.AccessToken;

    public AccessToken Current => _token.Result;

    public string[] Scopes => Current.Claims?.Scopes ?? Array.Empty<string>();

    public Task<AccessToken> GetTokenAsync(CancellationToken cancellationToken) => _token;

    public Task<AccessToken?> RenewAsync(AccessToken rejected, CancellationToken cancellationToken) => CannotRenew;

    public Task SignOutAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // The token must never reach a log or a console through a careless ToString.
    public override string ToString() => nameof(StaticAccessTokenProvider);
}
