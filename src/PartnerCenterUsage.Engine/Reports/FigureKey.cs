using System;
using System.Collections.Generic;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine.Reports;

/// <summary>
/// What one figure of a customer is of: its kind and product, and for usage its workload. Names and ids compare
/// ignoring case, as Partner Center's own values do. <see cref="GroupName"/> is what the report's workload and product
/// totals group by.
/// </summary>
internal readonly struct FigureKey : IEquatable<FigureKey>
{
    public FigureKey(LicenseFigureKind kind, string? productId, string? productName, string? workloadCode = null, string? workloadName = null)
    {
        Kind = kind;
        ProductId = Empty(productId);
        ProductName = Empty(productName);
        WorkloadCode = Empty(workloadCode);
        WorkloadName = Empty(workloadName);
    }

    public LicenseFigureKind Kind { get; }

    /// <summary>Whether the row named no product, SKU or workload: every such row of a customer falls on this one key.</summary>
    public bool IsUnnamed => ProductId is null && ProductName is null && WorkloadCode is null && WorkloadName is null;

    public string? ProductId { get; }

    public string? ProductName { get; }

    public string? WorkloadCode { get; }

    public string? WorkloadName { get; }

    /// <summary>The workload's name (else code) for usage, the product's name (else id) otherwise; empty when the rows named neither.</summary>
    public string GroupName => (Kind == LicenseFigureKind.Usage ? WorkloadName ?? WorkloadCode : ProductName ?? ProductId) ?? string.Empty;

    public static FigureKey Of(CustomerLicenseUsage row) => new(LicenseFigureKind.Usage, row.ProductId, row.ProductName, row.WorkloadCode, row.WorkloadName);

    public static FigureKey Of(CustomerLicenseDeployment row) => new(LicenseFigureKind.Deployment, row.ProductId, row.ProductName);

    public static FigureKey Of(CustomerSubscribedSku row) => new(LicenseFigureKind.SubscribedSku, row.SkuId, row.ProductName ?? row.SkuPartNumber);

    public static FigureKey Of(LicenseReportFigure figure) => new(figure.Kind, figure.ProductId, figure.ProductName, figure.WorkloadCode, figure.WorkloadName);

    /// <summary>
    /// The same key with its texts taken from <paramref name="names"/>: rows read from JSON bring fresh copies of the
    /// same few product and workload names, and a builder keeps one of each, however many figures name it.
    /// </summary>
    public FigureKey Pooled(Dictionary<string, string> names) =>
        new(Kind, Pool(names, ProductId), Pool(names, ProductName), Pool(names, WorkloadCode), Pool(names, WorkloadName));

    public bool Equals(FigureKey other) =>
        Kind == other.Kind && Same(ProductId, other.ProductId) && Same(ProductName, other.ProductName)
        && Same(WorkloadCode, other.WorkloadCode) && Same(WorkloadName, other.WorkloadName);

    public override bool Equals(object? obj) => obj is FigureKey other && Equals(other);

    public override int GetHashCode()
    {
        unchecked
        {
            var hash = (int)Kind;
            hash = (hash * 397) ^ Hash(ProductId);
            hash = (hash * 397) ^ Hash(ProductName);
            hash = (hash * 397) ^ Hash(WorkloadCode);
            return (hash * 397) ^ Hash(WorkloadName);
        }
    }

    private static string? Pool(Dictionary<string, string> names, string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (!names.TryGetValue(text, out var pooled))
        {
            names.Add(text, pooled = text);
        }

        return pooled;
    }

    private static string? Empty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static int Hash(string? text) => text is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(text);
}
