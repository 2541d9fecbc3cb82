using System;
using System.Collections.Generic;
using System.Linq;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine.Reports;

/// <summary>
/// Gathers the figures of a license report from rows as they stream in, in bounded memory: it keeps aggregates per
/// customer, per workload and per product (memory grows with the number of distinct customers, workloads and products,
/// never with the number of rows), a few distinct processed dates, and for each table only the
/// <see cref="TableCap"/> rows with the most waste. Every other row is counted in the figures and then forgotten.
/// Sums are of known values only: a row whose count is unknown (null) adds nothing to that sum and is counted in
/// the matching "unknown" figure instead, never read as 0.
/// </summary>
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
    private readonly Dictionary<string, CountAggregate> _workloads = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, CountAggregate> _products = new(StringComparer.OrdinalIgnoreCase);
    private readonly SortedSet<DateTimeOffset> _processed = new();
    private readonly TopRows<CustomerLicenseUsage> _usageRows;
    private readonly TopRows<CustomerLicenseDeployment> _deploymentRows;
    private readonly TopRows<CustomerSubscribedSku> _skuRows;

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
    }

    /// <summary>The most rows each table keeps.</summary>
    public int TableCap { get; }

    /// <summary>License usage rows read.</summary>
    public long UsageRowCount { get; private set; }

    /// <summary>License deployment rows read.</summary>
    public long DeploymentRowCount { get; private set; }

    /// <summary>Subscribed SKU rows read.</summary>
    public long SkuRowCount { get; private set; }

    /// <summary>Whether any row was read.</summary>
    public bool IsEmpty => UsageRowCount + DeploymentRowCount + SkuRowCount == 0;

    /// <summary>
    /// Distinct customers across all rows: by id, or by name for a row without one (a row that names a customer another
    /// row gave with its id is that customer's); the rows with neither are one customer, shown as "unknown".
    /// </summary>
    public int CustomerCount => _customers.Count;

    /// <summary>The usage figures (qualified, active, inactive) of every usage row.</summary>
    public CountAggregate Usage { get; } = new(string.Empty);

    /// <summary>The deployment figures (sold, deployed, unassigned) of every deployment row.</summary>
    public CountAggregate Deployment { get; } = new(string.Empty);

    /// <summary>Units free to assign, summed over the SKU rows that know them.</summary>
    public long AvailableUnits { get; private set; }

    /// <summary>SKU rows whose available units are unknown.</summary>
    public long AvailableUnitsUnknown { get; private set; }

    /// <summary>The newest distinct processed dates, to the minute, oldest first (at most <see cref="ProcessedDateCap"/>).</summary>
    public IReadOnlyCollection<DateTimeOffset> ProcessedDates => _processed;

    /// <summary>Distinct processed dates beyond those listed in <see cref="ProcessedDates"/>.</summary>
    public int ProcessedDatesNotListed => _processedSeen.Count - _processed.Count;

    /// <summary>Customers, with the largest known inactive count first.</summary>
    public IEnumerable<CustomerAggregate> CustomersByInactive =>
        _customers.Where(c => c.HasUsage).OrderByDescending(c => c.Usage.Inactive).ThenBy(c => c.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Every customer, the most inactive licenses first, then the most unassigned, then the most available units; a
    /// figure that is unknown ranks below every known one.
    /// </summary>
    public IEnumerable<CustomerAggregate> CustomersByWaste =>
        _customers
            .OrderByDescending(c => c.HasUsage ? c.Usage.Inactive ?? long.MinValue : long.MinValue)
            .ThenByDescending(c => c.HasDeployment ? c.Deployment.Unassigned ?? long.MinValue : long.MinValue)
            .ThenByDescending(c => c.AvailableUnits ?? long.MinValue)
            .ThenBy(c => c.DisplayName, StringComparer.OrdinalIgnoreCase);

    /// <summary>Workloads, with the most qualified licenses first.</summary>
    public IEnumerable<CountAggregate> Workloads =>
        _workloads.Values.OrderByDescending(w => w.Qualified).ThenBy(w => w.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Products of the deployment rows, with the most unassigned licenses first.</summary>
    public IEnumerable<CountAggregate> ProductsByUnassigned =>
        _products.Values.OrderByDescending(p => p.Unassigned).ThenBy(p => p.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The usage rows kept for the table, the most inactive first (those of unknown count last).</summary>
    public IReadOnlyList<CustomerLicenseUsage> UsageTable => _usageRows.Rows();

    /// <summary>The deployment rows kept for the table, the most unassigned first.</summary>
    public IReadOnlyList<CustomerLicenseDeployment> DeploymentTable => _deploymentRows.Rows();

    /// <summary>The SKU rows kept for the table, the most available units first.</summary>
    public IReadOnlyList<CustomerSubscribedSku> SkuTable => _skuRows.Rows();

    /// <summary>Adds a row of any of the three report types; false (and nothing added) for anything else.</summary>
    public bool TryAdd(object? row)
    {
        switch (row)
        {
            case CustomerLicenseUsage usage: Add(usage); return true;
            case CustomerLicenseDeployment deployment: Add(deployment); return true;
            case CustomerSubscribedSku sku: Add(sku); return true;
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
        Usage.AddUsage(row.LicensesQualified, row.LicensesActive);
        var customer = Customer(row.CustomerId, row.CustomerName);
        customer.HasUsage = true;
        customer.Usage.AddUsage(row.LicensesQualified, row.LicensesActive);
        Aggregate(_workloads, row.WorkloadName ?? row.WorkloadCode).AddUsage(row.LicensesQualified, row.LicensesActive);
        NoteProcessed(row.ProcessedDateTime);
        _usageRows.Offer(row, row.LicensesInactive);
    }

    /// <summary>Adds a license deployment row.</summary>
    public void Add(CustomerLicenseDeployment row)
    {
        if (row is null)
        {
            throw new ArgumentNullException(nameof(row));
        }

        DeploymentRowCount++;
        Deployment.AddDeployment(row.LicensesSold, row.LicensesDeployed);
        var customer = Customer(row.CustomerId, row.CustomerName);
        customer.HasDeployment = true;
        customer.Deployment.AddDeployment(row.LicensesSold, row.LicensesDeployed);
        Aggregate(_products, row.ProductName ?? row.ProductId).AddDeployment(row.LicensesSold, row.LicensesDeployed);
        NoteProcessed(row.ProcessedDateTime);
        _deploymentRows.Offer(row, row.LicensesUnassigned);
    }

    /// <summary>Adds a subscribed SKU row.</summary>
    public void Add(CustomerSubscribedSku row)
    {
        if (row is null)
        {
            throw new ArgumentNullException(nameof(row));
        }

        SkuRowCount++;
        var customer = Customer(row.CustomerId, row.CustomerName);
        customer.HasSkus = true;
        if (row.AvailableUnits is { } available)
        {
            AvailableUnits += available;
            customer.AvailableUnits = (customer.AvailableUnits ?? 0) + available;
        }
        else
        {
            AvailableUnitsUnknown++;
        }

        _skuRows.Offer(row, row.AvailableUnits);
    }

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

    private static CountAggregate Aggregate(Dictionary<string, CountAggregate> table, string? name)
    {
        var key = name ?? string.Empty;
        if (!table.TryGetValue(key, out var aggregate))
        {
            aggregate = new CountAggregate(key);
            table.Add(key, aggregate);
        }

        return aggregate;
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

    /// <summary>The rows with the largest keys, at most a cap of them; a null key ranks below every known one.</summary>
    private sealed class TopRows<T>
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

        public IReadOnlyList<T> Rows() => _rows.Reverse().Select(e => e.Row).ToList();
    }
}

/// <summary>
/// License counts summed over rows, known values only: a sum is null (unknown) until a row knows a value for it, so
/// that rows of unknown counts never read as 0. The rows whose counts were unknown are counted.
/// </summary>
public sealed class CountAggregate
{
    internal CountAggregate(string name) => Name = name;

    /// <summary>The workload or product (empty when the rows did not name it).</summary>
    public string Name { get; }

    /// <summary>Qualified licenses (usage rows); null when no row knew them.</summary>
    public long? Qualified { get; private set; }

    /// <summary>Active licenses (usage rows); null when no row knew them.</summary>
    public long? Active { get; private set; }

    /// <summary>Qualified − active (0 where more are active), summed over the rows that know both; null when none did.</summary>
    public long? Inactive { get; private set; }

    /// <summary>Qualified licenses of the rows that know both counts (the base of <see cref="InactivePercent"/>).</summary>
    public long QualifiedWithActiveKnown { get; private set; }

    /// <summary>Usage rows missing either count.</summary>
    public long UsageRowsUnknown { get; private set; }

    /// <summary>Licenses sold (deployment rows); null when no row knew them.</summary>
    public long? Sold { get; private set; }

    /// <summary>Licenses deployed (deployment rows); null when no row knew them.</summary>
    public long? Deployed { get; private set; }

    /// <summary>Sold − deployed (0 where more are deployed), summed over the rows that know both; null when none did.</summary>
    public long? Unassigned { get; private set; }

    /// <summary>Deployment rows missing either count.</summary>
    public long DeploymentRowsUnknown { get; private set; }

    /// <summary>Inactive licenses as a percentage of the qualified ones they were counted from; null when none qualify.</summary>
    public double? InactivePercent => QualifiedWithActiveKnown == 0 ? null : 100.0 * Inactive / QualifiedWithActiveKnown;

    internal void AddUsage(long? qualified, long? active)
    {
        Qualified = Sum(Qualified, qualified);
        Active = Sum(Active, active);
        if (qualified is { } q && active is { } a)
        {
            // More active than qualified leaves none inactive; it does not cancel another row's inactive licenses.
            Inactive = Sum(Inactive, Math.Max(0, q - a));
            QualifiedWithActiveKnown += q;
        }
        else
        {
            UsageRowsUnknown++;
        }
    }

    internal void AddDeployment(long? sold, long? deployed)
    {
        Sold = Sum(Sold, sold);
        Deployed = Sum(Deployed, deployed);
        if (sold is { } s && deployed is { } d)
        {
            // More deployed than sold leaves none unassigned; it does not cancel another row's unassigned licenses.
            Unassigned = Sum(Unassigned, Math.Max(0, s - d));
        }
        else
        {
            DeploymentRowsUnknown++;
        }
    }

    private static long? Sum(long? sum, long? value) => value is { } v ? (sum ?? 0) + v : sum;
}

/// <summary>One customer's figures across the rows read.</summary>
public sealed class CustomerAggregate
{
    internal CustomerAggregate(Guid? id, string? name)
    {
        CustomerId = id;
        Name = string.IsNullOrEmpty(name) ? null : name;
    }

    /// <summary>The customer's id, when the rows carried it.</summary>
    public Guid? CustomerId { get; internal set; }

    /// <summary>The customer's name, when any row carried it.</summary>
    public string? Name { get; internal set; }

    /// <summary>The name, else the id, else "unknown".</summary>
    public string DisplayName => Name ?? CustomerId?.ToString("D") ?? "unknown";

    /// <summary>Whether usage rows were read for the customer.</summary>
    public bool HasUsage { get; internal set; }

    /// <summary>Whether deployment rows were read for the customer.</summary>
    public bool HasDeployment { get; internal set; }

    /// <summary>Whether subscribed SKU rows were read for the customer.</summary>
    public bool HasSkus { get; internal set; }

    /// <summary>The customer's usage figures.</summary>
    public CountAggregate Usage { get; } = new(string.Empty);

    /// <summary>The customer's deployment figures.</summary>
    public CountAggregate Deployment { get; } = new(string.Empty);

    /// <summary>Units free to assign over the customer's SKU rows that know them; null when none did.</summary>
    public long? AvailableUnits { get; internal set; }
}
