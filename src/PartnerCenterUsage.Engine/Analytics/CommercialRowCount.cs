using System;

namespace PartnerCenterUsage.Engine;

/// <summary>
/// A count of a commercial report's rows, summed when rows of one group are added up: known values add, and an
/// unknown one on either side leaves the sum unknown (a total that leaves a row out would pass for the whole).
/// </summary>
/// <typeparam name="TRow">The model of the rows.</typeparam>
internal sealed class CommercialRowCount<TRow>
{
    private readonly Func<TRow, long?> _read;
    private readonly Action<TRow, long?> _write;

    /// <summary>Describes a count by how it is read and written.</summary>
    public CommercialRowCount(Func<TRow, long?> read, Action<TRow, long?> write)
    {
        _read = read;
        _write = write;
    }

    /// <summary>Adds <paramref name="row"/>'s count to <paramref name="total"/>'s.</summary>
    public void AddTo(TRow total, TRow row) => _write(total, _read(total) + _read(row));
}
