using System.Collections.Generic;
using System.Linq;

namespace PartnerCenterUsage.Engine.Reports;

/// <summary>The rows with the largest keys, at most a cap of them; a null key ranks below every known one.</summary>
internal sealed class TopRows<T>
{
    private readonly int _cap;
    private readonly SortedSet<(long Key, long Sequence, T Row)> _rows = new(Comparer<(long Key, long Sequence, T Row)>.Create(
        (a, b) => a.Key != b.Key ? a.Key.CompareTo(b.Key) : b.Sequence.CompareTo(a.Sequence)));
    private long _sequence;

    public TopRows(int cap) => _cap = cap;

    public void Offer(T row, long? key)
    {
        if (_cap == 0)
        {
            return;
        }

        // Among equal keys, the row read first ranks higher (the set's minimum is the latest of the smallest).
        var entry = (key ?? long.MinValue, _sequence++, row);
        if (_rows.Count < _cap)
        {
            _rows.Add(entry);
            return;
        }

        var min = _rows.Min;
        if (_rows.Comparer.Compare(entry, min) > 0)
        {
            _rows.Remove(min);
            _rows.Add(entry);
        }
    }

    /// <summary>
    /// The rows kept, the largest key first. Every row not kept ranks below every row kept, so the kept rows that
    /// <paramref name="shown"/> takes are the largest of all the rows it would take, in order: a shorter table, never a
    /// wrong one.
    /// </summary>
    public IReadOnlyList<T> Rows(System.Func<T, bool> shown) => _rows.Reverse().Select(e => e.Row).Where(shown).ToList();
}
