using System;
using System.Collections.Generic;

namespace PartnerCenterUsage.Engine.Reports.Model;

/// <summary>
/// The actions of one period of the "Act before renewal" section (the next 30 days, days 31 to 60, days 61 to 90), the
/// soonest deadline first, with their seats counted.
/// </summary>
public sealed class RenewalGroup
{
    /// <summary>The group of the deadlines after <paramref name="fromDays"/> and up to <paramref name="toDays"/> days from <paramref name="start"/>.</summary>
    public RenewalGroup(int fromDays, int toDays, DateTimeOffset start, IReadOnlyList<RenewalAction> actions, long actionCount, long flaggedCount, long? seats)
    {
        FromDays = fromDays;
        ToDays = toDays;
        Until = start.AddDays(toDays);
        Actions = actions ?? throw new ArgumentNullException(nameof(actions));
        ActionCount = actionCount;
        FlaggedCount = flaggedCount;
        Seats = seats;
    }

    /// <summary>The days after the section's now where the group starts (exclusive): 0, 30 or 60.</summary>
    public int FromDays { get; }

    /// <summary>The days after the section's now where the group ends (inclusive): 30, 60 or 90.</summary>
    public int ToDays { get; }

    /// <summary>The group's last moment: the section's now plus <see cref="ToDays"/>.</summary>
    public DateTimeOffset Until { get; }

    /// <summary>The actions kept, the soonest deadline first (those of an unsaid deadline, returnable now, before all).</summary>
    public IReadOnlyList<RenewalAction> Actions { get; }

    /// <summary>The group's actions, kept or not.</summary>
    public long ActionCount { get; }

    /// <summary>The actions of flagged matches among <see cref="ActionCount"/>.</summary>
    public long FlaggedCount { get; }

    /// <summary>The seats to return or cut of the group's actions that are not flagged; null when too many to count (past the largest count).</summary>
    public long? Seats { get; }

    /// <summary>Whether the group keeps fewer actions than it has.</summary>
    public bool IsCapped => Actions.Count < ActionCount;
}
