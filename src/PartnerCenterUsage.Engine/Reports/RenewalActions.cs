using System;
using System.Collections.Generic;
using System.Linq;
using PartnerCenterUsage.Engine.Reports.Model;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine.Reports;

/// <summary>
/// The "Act before renewal" section gathered from Get-PCLicenseReduction rows as they stream in: each row's actions
/// (return seats before the window closes, cut seats at renewal) are counted by deadline, and only the soonest
/// <c>cap</c> actions are kept for the tables. Memory grows with the distinct deadlines, not with the rows.
/// </summary>
/// <remarks>
/// Now is the latest AsOf read, which may still move on as rows come: a deadline at or before it is past and
/// forgotten, and the 30/60/90-day periods are cut only when the section is built. A deadline Partner Center did not
/// say (seats refundable now, window end unknown) is counted as the soonest of all.
/// </remarks>
internal sealed class RenewalActions
{
    private const long Undated = long.MinValue;
    private static readonly int[] Periods = [30, 60, RenewalSection.Horizon];

    private readonly int _cap;
    private readonly SortedDictionary<long, Tally> _byDeadline = new();
    private readonly SortedSet<(long Deadline, long Sequence, RenewalAction? Action)> _kept = new(Comparer<(long Deadline, long Sequence, RenewalAction? Action)>.Create(
        (a, b) => a.Deadline != b.Deadline ? a.Deadline.CompareTo(b.Deadline) : a.Sequence.CompareTo(b.Sequence)));
    private long _sequence;
    private long _rowsUnknown;

    public RenewalActions(int cap) => _cap = cap;

    /// <summary>The rows read.</summary>
    public long Rows { get; private set; }

    /// <summary>The latest AsOf of the rows read; null before the first.</summary>
    public DateTimeOffset? AsOf { get; private set; }

    public void Add(CustomerLicenseReduction row)
    {
        Rows++;
        if (AsOf is not { } asOf || row.AsOf > asOf)
        {
            AsOf = row.AsOf;
            Forget(row.AsOf.UtcTicks);
        }

        var flagged = RenewalAction.IsFlaggedMatch(row.Match);
        if (!flagged && row.SubscriptionCount > 0 && (row.CuttableNow is null || row.CuttableAtRenewal is null))
        {
            _rowsUnknown++;
        }

        var acted = false;
        if (row.CuttableNow is > 0)
        {
            acted |= Offer(row, RenewalActionKind.Return, row.ReturnableUntil, row.CuttableNow);
        }

        if (row.CuttableAtRenewal is > 0 && row.NextRenewal is { } renewal)
        {
            acted |= Offer(row, RenewalActionKind.CutAtRenewal, renewal, row.CuttableAtRenewal);
        }

        if (flagged && !acted && (row.CuttableNow is null || row.CuttableAtRenewal is null))
        {
            // Seats to cut unknown, but a deadline all the same: the row is listed to be checked by hand before it.
            var window = row.Subscriptions.Where(s => s.IsTrial != true).SelectMany(s => s.RefundableSeats)
                .Where(b => b.IsOpenAt(row.AsOf) && b.Quantity is not 0).Select(b => b.AllowedUntil).Min();
            if (window is { } closes && (row.NextRenewal is not { } renews || closes <= renews))
            {
                Offer(row, RenewalActionKind.Return, closes, null);
            }
            else if (row.NextRenewal is { } renews2)
            {
                Offer(row, RenewalActionKind.CutAtRenewal, renews2, null);
            }
        }
    }

    /// <summary>The section as of the latest AsOf read; null when no row was read.</summary>
    public RenewalSection? Build()
    {
        if (AsOf is not { } now)
        {
            return null;
        }

        var groups = new List<RenewalGroup>();
        var from = now.UtcTicks;
        long? returnable = 0L;
        foreach (var pair in _byDeadline)
        {
            returnable = Counts.Add(returnable, pair.Key > from || pair.Key == Undated ? pair.Value.ReturnSeats : 0);
        }

        var previous = 0;
        foreach (var days in Periods)
        {
            var low = previous == 0 ? long.MinValue : now.AddDays(previous).UtcTicks;
            var high = now.AddDays(days).UtcTicks;
            bool InGroup(long deadline) => (deadline == Undated && previous == 0) || (deadline != Undated && deadline > low && deadline > from && deadline <= high);
            var tallies = _byDeadline.Where(p => InGroup(p.Key)).Select(p => p.Value).ToList();
            groups.Add(new RenewalGroup(
                previous,
                days,
                now,
                _kept.Where(k => InGroup(k.Deadline)).Select(k => k.Action!).ToList(),
                tallies.Sum(t => t.Actions),
                tallies.Sum(t => t.Flagged),
                tallies.Aggregate((long?)0, (sum, t) => Counts.Add(sum, Counts.Add(t.ReturnSeats, t.RenewalSeats)))));
            previous = days;
        }

        var horizon = now.AddDays(RenewalSection.Horizon).UtcTicks;
        var figures = new List<ReportFigure>
        {
            new("Seats to cut within 30 days", ReportValue.Count(groups[0].Seats)),
            new("Seats returnable now", ReportValue.Count(returnable)),
        };
        return new RenewalSection(now, figures, groups)
        {
            RowsRead = Rows,
            RowsUnknown = _rowsUnknown,
            ActionsLater = _byDeadline.Where(p => p.Key != Undated && p.Key > horizon).Sum(p => p.Value.Actions),
        };
    }

    private bool Offer(CustomerLicenseReduction row, RenewalActionKind kind, DateTimeOffset? deadline, long? seats)
    {
        var key = deadline?.UtcTicks ?? Undated;
        if (key != Undated && key <= AsOf!.Value.UtcTicks)
        {
            return false;
        }

        if (!_byDeadline.TryGetValue(key, out var tally))
        {
            _byDeadline.Add(key, tally = new Tally());
        }

        var flagged = RenewalAction.IsFlaggedMatch(row.Match);
        tally.Actions++;
        if (flagged)
        {
            tally.Flagged++;
        }
        else if (kind == RenewalActionKind.Return)
        {
            tally.ReturnSeats = Counts.Add(tally.ReturnSeats, seats ?? 0);
        }
        else
        {
            tally.RenewalSeats = Counts.Add(tally.RenewalSeats, seats ?? 0);
        }

        if (_cap > 0)
        {
            var entry = (key, _sequence++, Action(row, kind, deadline, seats));
            _kept.Add(entry);
            if (_kept.Count > _cap)
            {
                _kept.Remove(_kept.Max);
            }
        }

        return true;
    }

    private static RenewalAction Action(CustomerLicenseReduction row, RenewalActionKind kind, DateTimeOffset? deadline, long? seats) =>
        new(kind, deadline, seats, row.CustomerName ?? row.CustomerId?.ToString("D"), row.ProductName ?? row.ProductId,
            row.Subscriptions.Select(s => s.FriendlyName ?? s.OfferName ?? s.SubscriptionId ?? "?").ToList())
        {
            UnusedSeats = row.UnusedSeats,
            FreeSeats = row.FreeSeats,
            AutoRenewEnabled = row.AutoRenewEnabled,
            Match = row.Match,
            MatchNote = RenewalAction.IsFlaggedMatch(row.Match) ? row.MatchNote : null,
        };

    // A later now makes the deadlines up to it past: nothing can be done about them any more.
    private void Forget(long now)
    {
        // Both are in deadline order, so only the deadlines that are now past are visited.
        var past = new List<long>();
        foreach (var key in _byDeadline.Keys)
        {
            if (key == Undated)
            {
                continue;
            }

            if (key > now)
            {
                break;
            }

            past.Add(key);
        }

        past.ForEach(key => _byDeadline.Remove(key));
        if (_kept.Count > 0)
        {
            _kept.GetViewBetween((Undated + 1, long.MinValue, null), (now, long.MaxValue, null)).Clear();
        }
    }

    private sealed class Tally
    {
        public long Actions { get; set; }

        public long Flagged { get; set; }

        // Null once too large to count: a sum past the largest count is unknown, never wrapped.
        public long? ReturnSeats { get; set; } = 0;

        public long? RenewalSeats { get; set; } = 0;
    }
}
