using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using PartnerCenterUsage.Commands;
using PartnerCenterUsage.Engine.Reports;
using PartnerCenterUsage.Engine.Reports.Comparison;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage;

/// <summary>
/// Turns what Export-PCLicenseReport -Baseline was given into the earlier reports it compares with: a path (wildcards
/// may name several files) or a FileInfo is one report each; Import-PCLicenseReport's figures are one report per file
/// they came from; the module's rows (usage, deployment, subscribed SKUs, as Get-PCLicenseUsage -ProcessedDateTime gives
/// an earlier date's) are one report together, and each array nested in the list one report of its own rows. Anything
/// that cannot be read or used is an error record, and the comparison goes on with the others.
/// </summary>
internal static class ReportBaselines
{
    public static List<LicenseSnapshot> Read(PSCmdlet cmdlet, IEnumerable<object?> given, List<ErrorRecord> errors)
    {
        var baselines = new List<LicenseSnapshot>();
        var rows = new LicenseReportBuilder(tableCap: 0);
        var figures = new Dictionary<string, List<LicenseReportFigure>>(StringComparer.Ordinal);
        foreach (var item in given)
        {
            Add(cmdlet, item, nested: false, rows, figures, baselines, errors);
        }

        foreach (var group in figures)
        {
            var first = group.Value[0];
            baselines.Add(LicenseSnapshot.FromFigures(group.Value, Label(first.ReportPath, first.ReportTitle), first.ReportGeneratedAt));
        }

        if (!rows.IsEmpty)
        {
            baselines.Add(RowsBaseline(rows));
        }

        return baselines;
    }

    private static void Add(PSCmdlet cmdlet, object? item, bool nested, LicenseReportBuilder rows, Dictionary<string, List<LicenseReportFigure>> figures, List<LicenseSnapshot> baselines, List<ErrorRecord> errors)
    {
        var input = item as PSObject;
        var value = input?.BaseObject ?? item;
        switch (value)
        {
            case null:
                return;
            case string path:
                foreach (var file in ReportFiles.Resolve(cmdlet, path, literal: false, errors))
                {
                    AddFile(file, baselines, errors);
                }

                return;
            case FileInfo file:
                AddFile(file.FullName, baselines, errors);
                return;
            case LicenseReportFigure figure:
                var key = figure.ReportPath ?? figure.ReportTitle + "|" + figure.ReportGeneratedAt?.ToString("O", CultureInfo.InvariantCulture);
                if (!figures.TryGetValue(key, out var list))
                {
                    figures.Add(key, list = new List<LicenseReportFigure>());
                }

                list.Add(figure);
                return;
            case IEnumerable collection when !nested && value is not IDictionary:
                // An array in the list is one earlier report of its own: -Baseline $october, $september.
                var own = new LicenseReportBuilder(tableCap: 0);
                var ownFigures = new Dictionary<string, List<LicenseReportFigure>>(StringComparer.Ordinal);
                foreach (var inner in collection)
                {
                    Add(cmdlet, inner, nested: true, own, ownFigures, baselines, errors);
                }

                foreach (var group in ownFigures)
                {
                    var first = group.Value[0];
                    baselines.Add(LicenseSnapshot.FromFigures(group.Value, Label(first.ReportPath, first.ReportTitle), first.ReportGeneratedAt));
                }

                if (!own.IsEmpty)
                {
                    baselines.Add(RowsBaseline(own));
                }

                return;
        }

        var grouped = input is not null && (input.TypeNames.Contains(GetPCLicenseUsageCommand.GroupedType) || input.TypeNames.Contains(GetPCLicenseDeploymentCommand.GroupedType));
        if (grouped || value is CustomerLicenseReduction || !rows.TryAdd(value))
        {
            errors.Add(ErrorRecords.UnsupportedBaselineInput(input ?? PSObject.AsPSObject(value), grouped));
        }
    }

    private static void AddFile(string file, List<LicenseSnapshot> baselines, List<ErrorRecord> errors)
    {
        // Streamed into the snapshot: a baseline of any size takes memory for its customers and workloads only.
        if (ReportFiles.Read(file, reader => LicenseSnapshot.FromFigures(reader.ReadFigures(), Label(file, reader.Header.Title), reader.Header.GeneratedAt), out var snapshot) is { } failed)
        {
            errors.Add(failed);
            return;
        }

        baselines.Add(snapshot!);
    }

    private static LicenseSnapshot RowsBaseline(LicenseReportBuilder rows)
    {
        var days = rows.ProcessedDates.Select(d => d.UtcDateTime.Date).Distinct().OrderByDescending(d => d).ToList();
        var label = days.Count == 0
            ? "the rows given"
            : "the rows given, processed " + days[0].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return rows.Snapshot(label);
    }

    private static string Label(string? path, string? title) =>
        path is not null ? System.IO.Path.GetFileName(path) : title ?? "a report";
}
