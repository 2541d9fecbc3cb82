using System;
using System.Threading;
using System.Threading.Tasks;

namespace PartnerCenterUsage.Engine.Authentication;

/// <summary>A token the user obtained elsewhere. It cannot be renewed: when it expires, the user connects again.</summary>
internal sealed class StaticAccessTokenProvider : IAccessTokenProvider
{
    private readonly Task<string> _token;

    public StaticAccessTokenProvider(string accessToken)
    {
        _token = Task.FromResult(accessToken ?? throw new ArgumentNullException(nameof(accessToken)));
    }

    public Task<string> GetAccessTokenAsync(bool forceRefresh, CancellationToken cancellationToken) => _token;

    // The token must never reach a log or a console through a careless ToString.
    public override string ToString() => nameof(StaticAccessTokenProvider);
}
