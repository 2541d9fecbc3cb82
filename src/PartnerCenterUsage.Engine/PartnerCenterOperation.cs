using System;
using PartnerCenterUsage.Engine.Diagnostics;

namespace PartnerCenterUsage.Engine;

/// <summary>
/// One logical operation (one cmdlet invocation): every request it makes carries the same
/// MS-CorrelationId and logs to the same place.
/// </summary>
public sealed class PartnerCenterOperation
{
    /// <summary>Creates an operation with a new correlation id.</summary>
    public PartnerCenterOperation(IPartnerCenterLog? log = null)
        : this(Guid.NewGuid(), log)
    {
    }

    /// <summary>Creates an operation with the given correlation id.</summary>
    public PartnerCenterOperation(Guid correlationId, IPartnerCenterLog? log = null)
    {
        CorrelationId = correlationId;
        Log = log ?? NullPartnerCenterLog.Instance;
    }

    /// <summary>The MS-CorrelationId of every request of this operation.</summary>
    public Guid CorrelationId { get; }

    /// <summary>Where the operation's diagnostics go.</summary>
    public IPartnerCenterLog Log { get; }
}
