using System;
using System.Collections.Generic;
using System.Linq;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine;

/// <summary>
/// The one description of each commercial report's rows: its fields (the API's names, what each can be filtered and
/// grouped on, how a row's value is read and cleared) and its counts (how rows of a group are summed). The query's
/// validation and field names, the wire rows' grouping, the plan's matching and merging, and the cmdlets' filter
/// parameters all read it. A new field is its <see cref="CommercialField"/> member and one line: here for one report's
/// own, in <see cref="CommercialRows{TRow}"/> for one both share (tests then ask the cmdlets for the parameter and
/// the -GroupBy value of that name).
/// </summary>
internal abstract class CommercialReportFields
{
    /// <summary>Describes the fields of <paramref name="report"/>.</summary>
    private protected CommercialReportFields(CommercialReport report, IEnumerable<(CommercialField Field, string ApiName, CommercialFieldUses Uses)> fields)
    {
        Report = report;
        var ordered = fields.OrderBy(f => f.Field).ToList();
        Fields = ordered.Select(f => f.Field).ToList();
        Filterable = ordered.Where(f => (f.Uses & CommercialFieldUses.Filter) != 0).Select(f => f.Field).ToList();
        Groupable = ordered.Where(f => (f.Uses & CommercialFieldUses.GroupBy) != 0).Select(f => f.Field).ToList();
        ApiNames = ordered.ToDictionary(f => f.Field, f => f.ApiName);
    }

    /// <summary>License usage: the shared fields, the workload, and active and qualified licenses.</summary>
    public static CommercialRows<CustomerLicenseUsage> Usage { get; } = new(
        CommercialReport.Usage,
        new CommercialRowField<CustomerLicenseUsage>[]
        {
            new(CommercialField.WorkloadCode, "workloadCode", r => r.WorkloadCode, r => r.WorkloadCode = null),
            new(CommercialField.WorkloadName, "workloadName", r => r.WorkloadName, r => r.WorkloadName = null),
        },
        new CommercialRowCount<CustomerLicenseUsage>[]
        {
            new(r => r.LicensesActive, (r, v) => r.LicensesActive = v),
            new(r => r.LicensesQualified, (r, v) => r.LicensesQualified = v),
        },
        // A share of the group's sums, not of one row's: computed by the model from them.
        r => r.UsagePercent = null);

    /// <summary>License deployment: the shared fields, and sold and deployed licenses.</summary>
    public static CommercialRows<CustomerLicenseDeployment> Deployment { get; } = new(
        CommercialReport.Deployment,
        Array.Empty<CommercialRowField<CustomerLicenseDeployment>>(),
        new CommercialRowCount<CustomerLicenseDeployment>[]
        {
            new(r => r.LicensesDeployed, (r, v) => r.LicensesDeployed = v),
            new(r => r.LicensesSold, (r, v) => r.LicensesSold = v),
        },
        // As for usage: the model computes the share from the sums.
        r => r.DeploymentPercent = null);

    /// <summary>The report described.</summary>
    public CommercialReport Report { get; }

    /// <summary>Every field of the rows, in the API's order (the order of <see cref="CommercialField"/>).</summary>
    public IReadOnlyList<CommercialField> Fields { get; }

    /// <summary>The fields a filter may name.</summary>
    public IReadOnlyList<CommercialField> Filterable { get; }

    /// <summary>The fields rows may be grouped on.</summary>
    public IReadOnlyList<CommercialField> Groupable { get; }

    private Dictionary<CommercialField, string> ApiNames { get; }

    /// <summary>The description of <paramref name="report"/>.</summary>
    public static CommercialReportFields Of(CommercialReport report) => report == CommercialReport.Usage ? Usage : Deployment;

    /// <summary>The API's name of <paramref name="field"/>, the same in every report that has it.</summary>
    public static string ApiName(CommercialField field) =>
        Usage.ApiNames.TryGetValue(field, out var name) ? name : Deployment.ApiNames[field];

    /// <summary>The value of <paramref name="field"/> in <paramref name="row"/> (a row of this report) as text; null when unknown.</summary>
    public abstract string? ValueOf(object row, CommercialField field);

    /// <summary>Adds <paramref name="row"/> into <paramref name="total"/>, a row of the same group.</summary>
    public abstract void AddTo(object total, object row);
}
