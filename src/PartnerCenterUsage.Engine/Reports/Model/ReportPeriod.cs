using System;
using System.Collections.Generic;

namespace PartnerCenterUsage.Engine.Reports.Model;

/// <summary>
/// Which processed days of one kind of row (usage or deployment) the report's figures are of, and which it left out:
/// rows of different processed days are never summed as one customer's licenses, so a day whose customers a later day
/// reports again is an earlier state of those licenses and is left out.
/// </summary>
public sealed class ReportPeriod
{
    /// <summary>The period of the rows of <paramref name="name"/>.</summary>
    public ReportPeriod(string name, IReadOnlyList<ReportDay> days, IReadOnlyList<ReportDay> daysLeftOut, int customersLeftOut)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Days = days ?? throw new ArgumentNullException(nameof(days));
        DaysLeftOut = daysLeftOut ?? throw new ArgumentNullException(nameof(daysLeftOut));
        CustomersLeftOut = customersLeftOut;
    }

    /// <summary>The kind of row, "usage" or "deployment".</summary>
    public string Name { get; }

    /// <summary>The days counted, the newest first; the rows without a processed date last (a day of null date).</summary>
    public IReadOnlyList<ReportDay> Days { get; }

    /// <summary>The days left out, the newest first.</summary>
    public IReadOnlyList<ReportDay> DaysLeftOut { get; }

    /// <summary>The customers whose rows of this kind are all of days left out, so that they are not counted for it.</summary>
    public int CustomersLeftOut { get; }
}
