using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace PartnerCenterUsage.Models;

/// <summary>The refundable batches of a subscription: a list, whose ToString (what a CSV cell holds) is a line of text.</summary>
public sealed class RefundableSeatsList : ReadOnlyCollection<RefundableSeats>
{
    /// <summary>Creates the list.</summary>
    public RefundableSeatsList(IList<RefundableSeats> batches)
        : base(batches)
    {
    }

    /// <inheritdoc/>
    public override string ToString() => string.Join("; ", this.Select(b => b.ToString()));
}
