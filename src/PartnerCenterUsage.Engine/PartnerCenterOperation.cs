using System;
using PartnerCenterUsage.Engine.Diagnostics;
using PartnerCenterUsage.Engine.Http;

namespace PartnerCenterUsage.Engine;

/// <summary>
/// One logical operation (one cmdlet invocation): every request it makes carries the same MS-CorrelationId,
/// logs to the same place, shares one limit of requests in flight and one retry budget.
/// </summary>
public sealed class PartnerCenterOperation
{
    /// <summary>Creates an operation with a new correlation id.</summary>
    public PartnerCenterOperation(IPartnerCenterLog? log = null)
        : this(Guid.NewGuid(), log)
    {
    }

    /// <summary>Creates an operation with the given correlation id.</summary>
    /// <param name="correlationId">The MS-CorrelationId of every request.</param>
    /// <param name="log">Where diagnostics go.</param>
    /// <param name="maxConcurrency">The most requests in flight at once.</param>
    /// <param name="retryBudget">The retries the whole operation may make; a default budget when null.</param>
    public PartnerCenterOperation(Guid correlationId, IPartnerCenterLog? log = null, int maxConcurrency = 1, RetryBudget? retryBudget = null)
    {
        CorrelationId = correlationId;
        Log = log ?? NullPartnerCenterLog.Instance;
        Limiter = new AdaptiveConcurrencyLimiter(maxConcurrency);
        RetryBudget = retryBudget ?? new RetryBudget();
    }

    /// <summary>The requests in flight, adapted to throttling.</summary>
    public AdaptiveConcurrencyLimiter Limiter { get; }

    /// <summary>The retries left to the operation.</summary>
    public RetryBudget RetryBudget { get; }


    /// <summary>The MS-CorrelationId of every request of this operation.</summary>
    public Guid CorrelationId { get; }

    /// <summary>Where the operation's diagnostics go.</summary>
    public IPartnerCenterLog Log { get; }
}
