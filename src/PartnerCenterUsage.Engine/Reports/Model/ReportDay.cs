using System;

namespace PartnerCenterUsage.Engine.Reports.Model;

/// <summary>The rows of one processed day of one kind (usage or deployment): how many, and of how many customers.</summary>
public sealed class ReportDay
{
    /// <summary>The rows of <paramref name="date"/>.</summary>
    public ReportDay(DateTime? date, long rows, int customers)
    {
        Date = date;
        Rows = rows;
        Customers = customers;
    }

    /// <summary>The processed day (UTC, at midnight); null for the rows that carry no processed date.</summary>
    public DateTime? Date { get; }

    /// <summary>The rows of that day.</summary>
    public long Rows { get; }

    /// <summary>The customers with rows of that day.</summary>
    public int Customers { get; }
}
