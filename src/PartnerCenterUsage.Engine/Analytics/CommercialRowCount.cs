using System;

namespace PartnerCenterUsage.Engine;

/// <summary>
/// A count of a commercial report's rows, summed when rows of one group are added up: known values add, and an
/// unknown one on either side leaves the sum unknown (a total that leaves a row out would pass for the whole), and so
/// does a sum too large for a count (<see cref="Counts"/>), which would otherwise wrap to a negative one.
/// </summary>
/// <typeparam name="TRow">The model of the rows.</typeparam>
/// <param name="read">A row's count; null when unknown.</param>
/// <param name="write">Sets a row's count.</param>
internal sealed class CommercialRowCount<TRow>(Func<TRow, long?> read, Action<TRow, long?> write)
{
    /// <summary>Adds <paramref name="row"/>'s count to <paramref name="total"/>'s.</summary>
    public void AddTo(TRow total, TRow row) => write(total, Counts.Add(read(total), read(row)));
}
