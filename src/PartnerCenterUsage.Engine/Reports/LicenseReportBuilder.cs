using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using PartnerCenterUsage.Engine.Reports.Comparison;
using PartnerCenterUsage.Engine.Reports.Model;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine.Reports;

/// <summary>
/// Gathers the figures of a license report from rows as they stream in, in bounded memory, and yields the report as
/// data (<see cref="Build"/>). It keeps aggregates per customer, per workload and per product, each kept apart by
/// processed day (memory grows with the number of distinct customers, workloads and products, and the days they are
/// of, never with the number of rows), a few distinct processed dates, and for each table only the
/// <see cref="TableCap"/> rows with the most waste. Every other row is counted in the figures and then forgotten.
/// License reduction rows make a section of their own, "Act before renewal" (<see cref="RenewalActions"/>): counted by
/// deadline, the soonest <see cref="TableCap"/> actions kept; they are not added to the customers' usage or deployment
/// figures, which the usage and deployment rows already count.
/// Sums are of known values only: a row whose count is unknown (null) adds nothing to that sum and is counted in
/// the matching "unknown" figure instead, never read as 0.
/// </summary>
/// <remarks>
/// Rows of different processed days (UTC) are never summed as the same licenses. When one customer's usage (or
/// deployment) rows come with several processed days, its earlier days are an earlier state of its licenses: they are
/// left out of the usage (deployment) figures, charts and tables, for that customer alone. Every customer counts as of
/// its own latest day, so customers refreshed on different days are counted together, and the report says which days
/// it shows. Rows without a processed date cannot be shown to be earlier: they are always counted. (Leaving a day out
/// for every customer once one customer had a later day emptied a report of 24 customers down to 2, for one row
/// processed a day late.)
/// </remarks>
public sealed class LicenseReportBuilder
{
    /// <summary>The rows each table keeps when no cap is given.</summary>
    public const int DefaultTableCap = 500;

    /// <summary>The distinct processed dates kept (more are counted, not listed).</summary>
    public const int ProcessedDateCap = 10;

    private readonly List<CustomerAggregate> _customers = new();
    private readonly Dictionary<Guid, CustomerAggregate> _customersById = new();
    private readonly Dictionary<string, CustomerAggregate> _customersByName = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<DateTimeOffset> _processedSeen = new();
    private CustomerAggregate? _nameless;
    private readonly SortedSet<DateTimeOffset> _processed = new();
    private readonly TopRows<CustomerLicenseUsage> _usageRows;
    private readonly TopRows<CustomerLicenseDeployment> _deploymentRows;
    private readonly TopRows<CustomerSubscribedSku> _skuRows;
    private readonly RenewalActions _renewal;

    // One copy of each product and workload name (and id) the figures keep: rows bring a fresh copy each.
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    // What the rows read so far show: worked out when first asked for after a row was added (see Show).
    private long _version;
    private long _shownVersion = -1;
    private HashSet<DateTime> _usageLeftOut = new();
    private HashSet<DateTime> _deploymentLeftOut = new();
    private CountAggregate _usage = new(string.Empty);
    private CountAggregate _deployment = new(string.Empty);
    private CountAggregate _skus = new(string.Empty);
    private List<CountAggregate> _workloadTotals = new();
    private List<CountAggregate> _productTotals = new();
    private int _customerCount;

    /// <summary>Creates a builder whose tables keep at most <paramref name="tableCap"/> rows each.</summary>
    public LicenseReportBuilder(int tableCap = DefaultTableCap)
    {
        if (tableCap < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(tableCap), tableCap, "The table cap cannot be negative.");
        }

        TableCap = tableCap;
        _usageRows = new TopRows<CustomerLicenseUsage>(tableCap);
        _deploymentRows = new TopRows<CustomerLicenseDeployment>(tableCap);
        _skuRows = new TopRows<CustomerSubscribedSku>(tableCap);
        _renewal = new RenewalActions(tableCap);
    }

    /// <summary>The most rows each table keeps.</summary>
    public int TableCap { get; }

    /// <summary>License usage rows read.</summary>
    public long UsageRowCount { get; private set; }

    /// <summary>License deployment rows read.</summary>
    public long DeploymentRowCount { get; private set; }

    /// <summary>Subscribed SKU rows read.</summary>
    public long SkuRowCount { get; private set; }

    /// <summary>
    /// Usage, deployment and SKU rows that were a row already read again (the same customer and its name, figure, day,
    /// service, channel and counts): counted once, and the page says how many.
    /// </summary>
    public long RepeatedRowCount { get; private set; }

    /// <summary>License reduction rows read.</summary>
    public long ReductionRowCount => _renewal.Rows;

    /// <summary>Whether any row was read.</summary>
    public bool IsEmpty => AnalyticsRowCount + ReductionRowCount == 0;

    // The rows of the figures, charts and tables: all but the reductions, which have a section of their own.
    private long AnalyticsRowCount => UsageRowCount + DeploymentRowCount + SkuRowCount;

    /// <summary>
    /// Distinct customers with rows of the days shown: by id, or by name for a row without one (a row that names a
    /// customer another row gave with its id is that customer's); the rows with neither are one customer, shown as
    /// "unknown".
    /// </summary>
    public int CustomerCount => Show()._customerCount;

    /// <summary>The usage figures (qualified, active, inactive) of the usage rows of the days shown.</summary>
    public CountAggregate Usage => Show()._usage;

    /// <summary>The deployment figures (sold, deployed, unassigned) of the deployment rows of the days shown.</summary>
    public CountAggregate Deployment => Show()._deployment;

    /// <summary>Units free to assign, summed over the SKU rows that know them; null when none did.</summary>
    public long? AvailableUnits => Show()._skus.AvailableUnits;

    /// <summary>SKU rows whose available units are unknown.</summary>
    public long AvailableUnitsUnknown => Show()._skus.AvailableUnitsUnknown;

    /// <summary>The newest distinct processed dates, to the minute, oldest first (at most <see cref="ProcessedDateCap"/>).</summary>
    public IReadOnlyCollection<DateTimeOffset> ProcessedDates => _processed;

    /// <summary>Distinct processed dates beyond those listed in <see cref="ProcessedDates"/>.</summary>
    public int ProcessedDatesNotListed => _processedSeen.Count - _processed.Count;

    /// <summary>The processed days (UTC) some of whose usage rows are left out: their customers have usage rows of a later day.</summary>
    public IReadOnlyCollection<DateTime> UsageDaysLeftOut => Show()._usageLeftOut;

    /// <summary>The processed days (UTC) some of whose deployment rows are left out, as <see cref="UsageDaysLeftOut"/>.</summary>
    public IReadOnlyCollection<DateTime> DeploymentDaysLeftOut => Show()._deploymentLeftOut;

    /// <summary>Customers with usage rows of the days shown, with the largest known inactive count first.</summary>
    public IEnumerable<CustomerAggregate> CustomersByInactive =>
        Show()._customers.Where(c => c.HasUsage).OrderByDescending(c => c.Usage.Inactive).ThenBy(c => c.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Every customer with rows of the days shown, the most inactive licenses first, then the most unassigned, then the
    /// most available units; a figure that is unknown ranks below every known one.
    /// </summary>
    public IEnumerable<CustomerAggregate> CustomersByWaste =>
        Show()._customers
            .Where(c => c.IsShown)
            .OrderByDescending(c => c.HasUsage ? c.Usage.Inactive ?? long.MinValue : long.MinValue)
            .ThenByDescending(c => c.HasDeployment ? c.Deployment.Unassigned ?? long.MinValue : long.MinValue)
            .ThenByDescending(c => c.AvailableUnits ?? long.MinValue)
            .ThenBy(c => c.DisplayName, StringComparer.OrdinalIgnoreCase);

    /// <summary>Workloads of the days shown, with the most qualified licenses first.</summary>
    public IEnumerable<CountAggregate> Workloads =>
        Show()._workloadTotals.OrderByDescending(w => w.Qualified).ThenBy(w => w.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Products of the deployment rows of the days shown, with the most unassigned licenses first.</summary>
    public IEnumerable<CountAggregate> ProductsByUnassigned =>
        Show()._productTotals.OrderByDescending(p => p.Unassigned).ThenBy(p => p.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The usage rows of the days shown kept for the table, the most inactive first (those of unknown count last).</summary>
    public IReadOnlyList<CustomerLicenseUsage> UsageTable
    {
        get
        {
            Show();
            return _usageRows.Rows(r => IsShown(LicenseRowKind.Usage, r.CustomerId, r.CustomerName, r.ProcessedDateTime));
        }
    }

    /// <summary>The deployment rows of the days shown kept for the table, the most unassigned first.</summary>
    public IReadOnlyList<CustomerLicenseDeployment> DeploymentTable
    {
        get
        {
            Show();
            return _deploymentRows.Rows(r => IsShown(LicenseRowKind.Deployment, r.CustomerId, r.CustomerName, r.ProcessedDateTime));
        }
    }

    /// <summary>The SKU rows kept for the table, the most available units first.</summary>
    public IReadOnlyList<CustomerSubscribedSku> SkuTable => _skuRows.Rows(_ => true);

    /// <summary>
    /// The report's figures, customer by customer: for each customer, product and workload (usage), customer and product
    /// (deployment) and customer and SKU, the counts of the processed day shown, exactly as the figures, charts and
    /// tables count them. This is what the page carries as data and Import-PCLicenseReport reads back. Made as they are
    /// enumerated: nothing is kept.
    /// </summary>
    public IEnumerable<LicenseReportFigure> FigureRows()
    {
        Show();
        foreach (var customer in _customers)
        {
            foreach (var (key, day, counts) in customer.ShownFigures())
            {
                yield return new LicenseReportFigure
                {
                    Kind = key.Kind,
                    CustomerId = customer.CustomerId,
                    CustomerName = customer.Name,
                    ProductId = key.ProductId,
                    ProductName = key.ProductName,
                    WorkloadCode = key.WorkloadCode,
                    WorkloadName = key.WorkloadName,
                    LicensesQualified = key.Kind == LicenseFigureKind.Usage ? counts.Qualified : null,
                    LicensesActive = key.Kind == LicenseFigureKind.Usage ? counts.Active : null,
                    LicensesInactive = key.Kind == LicenseFigureKind.Usage ? counts.Inactive : null,
                    QualifiedWithActiveKnown = key.Kind == LicenseFigureKind.Usage ? counts.QualifiedWithActiveKnown : 0,
                    LicensesSold = key.Kind == LicenseFigureKind.Deployment ? counts.Sold : null,
                    LicensesDeployed = key.Kind == LicenseFigureKind.Deployment ? counts.Deployed : null,
                    LicensesUnassigned = key.Kind == LicenseFigureKind.Deployment ? counts.Unassigned : null,
                    AvailableUnits = key.Kind == LicenseFigureKind.SubscribedSku ? counts.AvailableUnits : null,
                    ProcessedDateTime = day is { } date ? new DateTimeOffset(date, TimeSpan.Zero) : null,
                };
            }
        }
    }

    /// <summary>
    /// The figures read so far summed per customer and workload, for a comparison: this report's, or, for a builder fed
    /// the rows of an earlier processed date, a baseline's.
    /// </summary>
    public LicenseSnapshot Snapshot(string label, DateTimeOffset? generatedAt = null) => LicenseSnapshot.FromFigures(FigureRows(), label, generatedAt);

    /// <summary>Adds a row of any of the four report types; false (and nothing added) for anything else.</summary>
    public bool TryAdd(object? row)
    {
        switch (row)
        {
            case CustomerLicenseUsage usage: Add(usage); return true;
            case CustomerLicenseDeployment deployment: Add(deployment); return true;
            case CustomerSubscribedSku sku: Add(sku); return true;
            case CustomerLicenseReduction reduction: Add(reduction); return true;
            default: return false;
        }
    }

    /// <summary>Adds a license usage row.</summary>
    public void Add(CustomerLicenseUsage row)
    {
        if (row is null)
        {
            throw new ArgumentNullException(nameof(row));
        }

        UsageRowCount++;
        var mark = RowMark.Of(row.CustomerName, row.ServiceCode ?? row.ServiceName, row.Channel, row.ProcessedDateTime, row.LicensesQualified, row.LicensesActive, null);
        if (Accumulate(LicenseRowKind.Usage, row.CustomerId, row.CustomerName, FigureKey.Of(row), row.ProcessedDateTime, row.LicensesQualified, row.LicensesActive, mark))
        {
            _usageRows.Offer(row, row.LicensesInactive);
        }
    }

    /// <summary>Adds a license deployment row.</summary>
    public void Add(CustomerLicenseDeployment row)
    {
        if (row is null)
        {
            throw new ArgumentNullException(nameof(row));
        }

        DeploymentRowCount++;
        var mark = RowMark.Of(row.CustomerName, row.ServiceCode ?? row.ServiceName, row.Channel, row.ProcessedDateTime, row.LicensesSold, row.LicensesDeployed, null);
        if (Accumulate(LicenseRowKind.Deployment, row.CustomerId, row.CustomerName, FigureKey.Of(row), row.ProcessedDateTime, row.LicensesSold, row.LicensesDeployed, mark))
        {
            _deploymentRows.Offer(row, row.LicensesUnassigned);
        }
    }

    /// <summary>Adds a subscribed SKU row: live units, of no processed date.</summary>
    public void Add(CustomerSubscribedSku row)
    {
        if (row is null)
        {
            throw new ArgumentNullException(nameof(row));
        }

        SkuRowCount++;
        var customer = Customer(row.CustomerId, row.CustomerName);
        var key = FigureKey.Of(row);
        var figure = customer.FigureCountsFor(key, null, _names);
        var mark = RowMark.Of(row.CustomerName, row.LicenseGroupId, row.CapabilityStatus, null, row.TotalUnits, row.ConsumedUnits, row.AvailableUnits)
            .With(row.TargetType).With(row.ActiveUnits).With(row.SuspendedUnits).With(row.WarningUnits);
        if (IsKnownRow(row.CustomerId, row.CustomerName, key) && !figure.FirstOf(mark))
        {
            RepeatedRowCount++;
            return;
        }

        customer.CountsFor(LicenseRowKind.SubscribedSku, null).AddRow(LicenseRowKind.SubscribedSku, row.AvailableUnits, null);
        figure.AddRow(LicenseRowKind.SubscribedSku, row.AvailableUnits, null);
        _version++;
        _skuRows.Offer(row, row.AvailableUnits);
    }

    /// <summary>
    /// Adds a license reduction row to the "Act before renewal" section; its processed date is listed with the others.
    /// Its seats are not added to the customers' figures: the usage and deployment rows count those.
    /// </summary>
    public void Add(CustomerLicenseReduction row)
    {
        if (row is null)
        {
            throw new ArgumentNullException(nameof(row));
        }

        NoteProcessed(row.ProcessedDateTime);
        _renewal.Add(row);
    }

    /// <summary>The report of the rows read so far, as data: figures, chart series and tables.</summary>
    public LicenseReport Build(LicenseReportOptions options)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        Show();
        var processed = _processed.ToList();
        if (IsEmpty)
        {
            return new LicenseReport(options.Title, options.GeneratedAt, processed, ProcessedDatesNotListed, [], [], [], []) { ModuleVersion = options.ModuleVersion };
        }

        var renewal = _renewal.Build();
        if (AnalyticsRowCount == 0)
        {
            return new LicenseReport(options.Title, options.GeneratedAt, processed, ProcessedDatesNotListed, [], [], [], []) { Renewal = renewal, ModuleVersion = options.ModuleVersion };
        }

        var top = Math.Max(1, options.Top);
        return new LicenseReport(options.Title, options.GeneratedAt, processed, ProcessedDatesNotListed, Figures(), Periods(), Charts(top), Tables())
        {
            Renewal = renewal,
            ModuleVersion = options.ModuleVersion,
            Data = FigureRows(),
            Comparison = options.Baselines.Count == 0 ? null : ReportComparison.Compare(Snapshot("this report", options.GeneratedAt), options.Baselines, top),
            UsageRowsUnknown = _usage.UsageRowsUnknown,
            DeploymentRowsUnknown = _deployment.DeploymentRowsUnknown,
            AvailableUnitsUnknown = _skus.AvailableUnitsUnknown,
            SumsTooLarge = TooLarge(),
            RowsRepeated = RepeatedRowCount,
        };
    }

    // What the sums too large to count are of, anywhere on the page (the customers' sums are in the portfolio's): the
    // page says so, since it shows them as unknown.
    private List<string> TooLarge()
    {
        var fields = _usage.TooLarge | _deployment.TooLarge | _skus.TooLarge;
        foreach (var total in _workloadTotals.Concat(_productTotals))
        {
            fields |= total.TooLarge;
        }

        var names = new List<string>();
        foreach (var (field, name) in new[]
        {
            (CountField.Qualified, "licenses qualified"),
            (CountField.Active, "licenses active"),
            (CountField.Inactive, "licenses inactive"),
            (CountField.QualifiedWithActiveKnown, "the inactive share"),
            (CountField.Sold, "licenses sold"),
            (CountField.Deployed, "licenses deployed"),
            (CountField.Unassigned, "licenses unassigned"),
            (CountField.AvailableUnits, "units available"),
        })
        {
            if ((fields & field) != 0)
            {
                names.Add(name);
            }
        }

        return names;
    }

    private List<ReportFigure> Figures()
    {
        var figures = new List<ReportFigure> { new("Customers", ReportValue.Count(_customerCount)) };
        if (UsageRowCount > 0)
        {
            figures.Add(new ReportFigure("Licenses qualified", ReportValue.Count(_usage.Qualified)));
            figures.Add(new ReportFigure("Licenses active", ReportValue.Count(_usage.Active)));
            figures.Add(new ReportFigure("Licenses inactive", ReportValue.Count(_usage.Inactive)));
            figures.Add(new ReportFigure("Inactive share", ReportValue.Percent(_usage.InactivePercent)));
        }

        if (DeploymentRowCount > 0)
        {
            figures.Add(new ReportFigure("Licenses sold", ReportValue.Count(_deployment.Sold)));
            figures.Add(new ReportFigure("Licenses deployed", ReportValue.Count(_deployment.Deployed)));
            figures.Add(new ReportFigure("Licenses unassigned", ReportValue.Count(_deployment.Unassigned)));
        }

        if (SkuRowCount > 0)
        {
            figures.Add(new ReportFigure("Units available", ReportValue.Count(_skus.AvailableUnits)));
        }

        return figures;
    }

    private List<ReportPeriod> Periods()
    {
        var periods = new List<ReportPeriod>();
        if (UsageRowCount > 0)
        {
            periods.Add(Period("usage", LicenseRowKind.Usage));
        }

        if (DeploymentRowCount > 0)
        {
            periods.Add(Period("deployment", LicenseRowKind.Deployment));
        }

        return periods;
    }

    // The days the figures are of (each customer's latest, and the undated rows) and the days of rows left out (customers'
    // earlier days), each with its rows and customers.
    private ReportPeriod Period(string name, LicenseRowKind kind)
    {
        var shownDays = new Dictionary<DateTime, (long Rows, int Customers)>();
        var leftOutDays = new Dictionary<DateTime, (long Rows, int Customers)>();
        (long Rows, int Customers) undated = default;
        var customersLeftOut = 0;
        foreach (var customer in _customers)
        {
            if (customer.Daily(kind) is not { } daily)
            {
                continue;
            }

            foreach (var day in daily.Days())
            {
                if (day.Key is not { } date)
                {
                    undated = (undated.Rows + day.Value.Rows, undated.Customers + 1);
                    continue;
                }

                var days = customer.ShowsDay(kind, date) ? shownDays : leftOutDays;
                days.TryGetValue(date, out var tally);
                days[date] = (tally.Rows + day.Value.Rows, tally.Customers + 1);
            }

            customersLeftOut += (kind == LicenseRowKind.Usage ? customer.HasUsage : customer.HasDeployment) ? 0 : 1;
        }

        var shown = shownDays.OrderByDescending(d => d.Key).Select(d => new ReportDay(d.Key, d.Value.Rows, d.Value.Customers)).ToList();
        if (undated.Rows > 0)
        {
            shown.Add(new ReportDay(null, undated.Rows, undated.Customers));
        }

        var notShown = leftOutDays.OrderByDescending(d => d.Key).Select(d => new ReportDay(d.Key, d.Value.Rows, d.Value.Customers)).ToList();
        return new ReportPeriod(name, shown, notShown, customersLeftOut);
    }

    private List<ChartSeries> Charts(int top)
    {
        var charts = new List<ChartSeries>();
        if (UsageRowCount > 0)
        {
            charts.Add(new ChartSeries(
                "chart-inactive",
                string.Format(CultureInfo.InvariantCulture, "Top {0} customers by inactive licenses", top),
                CustomersByInactive.Where(c => c.Usage.Inactive is not null).Take(top).Select(c => new ChartBar(c.DisplayName, ReportValue.Count(c.Usage.Inactive))).ToList()));
            charts.Add(new ChartSeries(
                "chart-workloads",
                "Usage by workload (active of qualified)",
                Workloads.Where(w => w.Qualified is not null).Take(top).Select(w => new ChartBar(w.Name, ReportValue.Count(w.Qualified), ReportValue.Count(w.Active))).ToList(),
                partLabel: "active"));
        }

        if (DeploymentRowCount > 0)
        {
            charts.Add(new ChartSeries(
                "chart-unassigned",
                "Unassigned licenses by product",
                ProductsByUnassigned.Where(p => p.Unassigned is not null).Take(top).Select(p => new ChartBar(p.Name, ReportValue.Count(p.Unassigned))).ToList()));
        }

        return charts;
    }

    private List<ReportTable> Tables()
    {
        // Every customer, in full: their number is the portfolio's, not the rows'.
        var tables = new List<ReportTable>
        {
            new(
                "table-customers",
                "Customers, the most inactive licenses first",
                ["Customer", "Qualified", "Active", "Inactive", "Inactive %", "Sold", "Deployed", "Unassigned", "Available units"],
                CustomersByWaste.Select(c => Row(
                    Text(c.DisplayName),
                    Count(c.Usage.Qualified),
                    Count(c.Usage.Active),
                    Count(c.Usage.Inactive),
                    Percent(c.Usage.InactivePercent),
                    Count(c.Deployment.Sold),
                    Count(c.Deployment.Deployed),
                    Count(c.Deployment.Unassigned),
                    Count(c.AvailableUnits))).ToList(),
                _customerCount),
        };

        if (UsageRowCount > 0)
        {
            tables.Add(new ReportTable(
                "table-usage",
                "License usage, the most inactive first",
                ["Customer", "Product", "Workload", "Qualified", "Active", "Inactive", "Usage %", "Processed"],
                UsageTable.Select(r => Row(Text(r.CustomerName ?? r.CustomerId?.ToString("D")), Text(r.ProductName), Text(r.WorkloadName ?? r.WorkloadCode), Count(r.LicensesQualified), Count(r.LicensesActive), Count(r.LicensesInactive), Percent(r.UsagePercent), Date(r.ProcessedDateTime))).ToList(),
                _usage.Rows));
        }

        if (DeploymentRowCount > 0)
        {
            tables.Add(new ReportTable(
                "table-deployment",
                "License deployment, the most unassigned first",
                ["Customer", "Product", "Sold", "Deployed", "Unassigned", "Deployed %", "Processed"],
                DeploymentTable.Select(r => Row(Text(r.CustomerName ?? r.CustomerId?.ToString("D")), Text(r.ProductName ?? r.ProductId), Count(r.LicensesSold), Count(r.LicensesDeployed), Count(r.LicensesUnassigned), Percent(r.DeploymentPercent), Date(r.ProcessedDateTime))).ToList(),
                _deployment.Rows));
        }

        if (SkuRowCount > 0)
        {
            tables.Add(new ReportTable(
                "table-skus",
                "Subscribed SKUs, the most available units first",
                ["Customer", "SKU", "Product", "Total", "Consumed", "Available", "Status"],
                SkuTable.Select(r => Row(Text(r.CustomerName ?? r.CustomerId?.ToString("D")), Text(r.SkuPartNumber), Text(r.ProductName), Count(r.TotalUnits), Count(r.ConsumedUnits), Count(r.AvailableUnits), Text(r.CapabilityStatus))).ToList(),
                SkuRowCount));
        }

        return tables;
    }

    private static ReportRow Row(params ReportCell[] cells) => new(cells);

    private static ReportCell Text(string? text) => ReportCell.OfText(text);

    private static ReportCell Count(long? count) => ReportCell.OfValue(ReportValue.Count(count));

    private static ReportCell Percent(double? percent) => ReportCell.OfValue(ReportValue.Percent(percent));

    private static ReportCell Date(DateTimeOffset? date) => ReportCell.OfDate(date);

    /// <summary>The one path of a dated row: its customer's counts and its workload's (product's), both of its day.</summary>
    // Adds a row's counts to its customer's and its figure's, unless the figure of that day has summed the same row
    // already (false): a row read twice is counted once, however it came twice.
    private bool Accumulate(LicenseRowKind kind, Guid? id, string? name, FigureKey key, DateTimeOffset? processed, long? first, long? second, RowMark mark)
    {
        var day = Day(processed);
        var customer = Customer(id, name);
        var figure = customer.FigureCountsFor(key, day, _names);
        if (IsKnownRow(id, name, key) && !figure.FirstOf(mark))
        {
            RepeatedRowCount++;
            return false;
        }

        NoteProcessed(processed);
        customer.CountsFor(kind, day).AddRow(kind, first, second);
        figure.AddRow(kind, first, second);
        _version++;
        return true;
    }

    // Whether a row says whose and what it is: only then is one of the same mark the same row. Rows of no customer id or
    // name, or of no product or workload, all fall on one figure though they may be of different customers or products,
    // and are each counted, as sent.
    private static bool IsKnownRow(Guid? id, string? name, FigureKey key) =>
        (id is not null || !string.IsNullOrEmpty(name)) && !key.IsUnnamed;

    /// <summary>
    /// Works out, once per change, what the rows read show: each customer its own latest day of each kind (and its
    /// undated rows); the portfolio's figures, and each workload's and product's, are the sums of its customers'.
    /// </summary>
    private LicenseReportBuilder Show()
    {
        if (_shownVersion == _version)
        {
            return this;
        }

        _usageLeftOut = LeftOut(LicenseRowKind.Usage);
        _deploymentLeftOut = LeftOut(LicenseRowKind.Deployment);
        _usage = new CountAggregate(string.Empty);
        _deployment = new CountAggregate(string.Empty);
        _skus = new CountAggregate(string.Empty);
        _customerCount = 0;
        var workloads = new Dictionary<string, CountAggregate>(StringComparer.OrdinalIgnoreCase);
        var products = new Dictionary<string, CountAggregate>(StringComparer.OrdinalIgnoreCase);
        foreach (var customer in _customers)
        {
            customer.Show();
            AddTo(workloads, customer.ShownByKey(LicenseRowKind.Usage));
            AddTo(products, customer.ShownByKey(LicenseRowKind.Deployment));
            if (customer.HasUsage)
            {
                _usage.Add(customer.Usage);
            }

            if (customer.HasDeployment)
            {
                _deployment.Add(customer.Deployment);
            }

            if (customer.Skus is { } skus)
            {
                _skus.Add(skus);
            }

            _customerCount += customer.IsShown ? 1 : 0;
        }

        _workloadTotals = workloads.Values.ToList();
        _productTotals = products.Values.ToList();
        _shownVersion = _version;
        return this;
    }

    private static void AddTo(Dictionary<string, CountAggregate> totals, IEnumerable<CountAggregate> counts)
    {
        foreach (var count in counts)
        {
            if (!totals.TryGetValue(count.Name, out var total))
            {
                total = new CountAggregate(count.Name);
                totals.Add(count.Name, total);
            }

            total.Add(count);
        }
    }

    private HashSet<DateTime> LeftOut(LicenseRowKind kind)
    {
        var leftOut = new HashSet<DateTime>();
        foreach (var customer in _customers)
        {
            if (customer.Daily(kind) is not { HasEarlierDays: true } daily)
            {
                continue;
            }

            foreach (var day in daily.Days())
            {
                if (day.Key is { } date && date < daily.LatestDay)
                {
                    leftOut.Add(date);
                }
            }
        }

        return leftOut;
    }

    // A table row is shown when it is undated or of its customer's latest day.
    private bool IsShown(LicenseRowKind kind, Guid? id, string? name, DateTimeOffset? processed) =>
        Day(processed) is not { } day || Find(id, name) is not { } customer || customer.ShowsDay(kind, day);

    // The customer a row was counted for, found as Customer finds it, without adding one.
    private CustomerAggregate? Find(Guid? id, string? name)
    {
        name = string.IsNullOrEmpty(name) ? null : name;
        if (id is null && name is null)
        {
            return _nameless;
        }

        if (id is { } byId && _customersById.TryGetValue(byId, out var customer))
        {
            return customer;
        }

        return name is not null && _customersByName.TryGetValue(name, out var named) ? named : null;
    }

    /// <summary>The processed day (UTC, at midnight) of a row: Partner Center processes its analytics by day.</summary>
    private static DateTime? Day(DateTimeOffset? processed) => processed?.UtcDateTime.Date;

    private CustomerAggregate Customer(Guid? id, string? name)
    {
        name = string.IsNullOrEmpty(name) ? null : name;
        if (id is null && name is null)
        {
            return _nameless ??= Added(new CustomerAggregate(null, null));
        }

        CustomerAggregate? customer = null;
        if (id is { } byId)
        {
            _customersById.TryGetValue(byId, out customer);
        }

        // A name without an id is the customer of that name; a name with an id, the one of that name that had no id yet.
        if (customer is null && name is not null && _customersByName.TryGetValue(name, out var named) && (id is null || named.CustomerId is null))
        {
            customer = named;
        }

        customer ??= Added(new CustomerAggregate(id, name));
        if (id is { } known && customer.CustomerId is null)
        {
            customer.CustomerId = known;
        }

        if (customer.CustomerId is { } customerId && !_customersById.ContainsKey(customerId))
        {
            _customersById.Add(customerId, customer);
        }

        if (name is not null)
        {
            customer.Name ??= name;
            if (!_customersByName.ContainsKey(name))
            {
                _customersByName.Add(name, customer);
            }
        }

        return customer;
    }

    private CustomerAggregate Added(CustomerAggregate customer)
    {
        _customers.Add(customer);
        return customer;
    }

    private void NoteProcessed(DateTimeOffset? processed)
    {
        // Dates are listed to the minute, so they are told apart to the minute. Every distinct one is remembered (they are
        // as many as the data refreshes, at most one a customer), so one seen again is never counted twice.
        if (processed is not { } date)
        {
            return;
        }

        var minute = new DateTimeOffset(date.UtcTicks - (date.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        if (!_processedSeen.Add(minute))
        {
            return;
        }

        _processed.Add(minute);
        if (_processed.Count > ProcessedDateCap)
        {
            // Keep the newest dates: a report is about the latest figures.
            _processed.Remove(_processed.Min);
        }
    }
}
