using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using PartnerCenterUsage.Commands;
using PartnerCenterUsage.Engine.Reports;
using PartnerCenterUsage.Engine.Reports.Comparison;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage;

/// <summary>
/// Turns what Export-PCLicenseReport -Baseline was given into the earlier reports it compares with: a path (wildcards
/// may name several files) or a FileInfo is one report each, a file named twice counted once; Import-PCLicenseReport's
/// figures are one report per file they came from; the module's rows (usage, deployment, subscribed SKUs, as
/// Get-PCLicenseUsage -ProcessedDateTime gives an earlier date's) are one report together, and each array in the list
/// (-Baseline $october, $september) one report of its own rows, however deep it is nested. Anything that cannot be
/// read or used is an error record, and the comparison goes on with the others.
/// </summary>
internal static class ReportBaselines
{
    public static List<LicenseSnapshot> Read(PSCmdlet cmdlet, IEnumerable<object?> given, List<ErrorRecord> errors, CancellationToken cancellation)
    {
        var baselines = new List<LicenseSnapshot>();
        var files = new HashSet<string>(StringComparer.Ordinal);
        var top = new Baseline();
        foreach (var item in given)
        {
            var value = item is PSObject wrapped ? wrapped.BaseObject : item;
            if (value is IEnumerable collection and not string and not IDictionary)
            {
                // An array in the list is one earlier report of its own.
                var own = new Baseline();
                foreach (var inner in collection)
                {
                    own.Add(cmdlet, inner, files, baselines, errors, cancellation);
                }

                own.Finish(baselines);
            }
            else
            {
                top.Add(cmdlet, item, files, baselines, errors, cancellation);
            }
        }

        top.Finish(baselines);
        return baselines;
    }

    private static string Label(string? path, string? title) =>
        path is not null ? System.IO.Path.GetFileName(path) : title ?? "a report";

    /// <summary>One earlier report being gathered: the rows given for it, and the figures given for it, by the file they came from.</summary>
    private sealed class Baseline
    {
        private readonly LicenseReportBuilder _rows = new(tableCap: 0);
        private readonly Dictionary<string, List<LicenseReportFigure>> _figures = new(StringComparer.Ordinal);

        public void Add(PSCmdlet cmdlet, object? item, HashSet<string> files, List<LicenseSnapshot> baselines, List<ErrorRecord> errors, CancellationToken cancellation)
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
                        AddFile(file, files, baselines, errors, cancellation);
                    }

                    return;
                case FileInfo file:
                    AddFile(file.FullName, files, baselines, errors, cancellation);
                    return;
                case LicenseReportFigure figure:
                    var key = figure.ReportPath ?? figure.ReportTitle + "|" + figure.ReportGeneratedAt?.ToString("O", CultureInfo.InvariantCulture);
                    if (!_figures.TryGetValue(key, out var list))
                    {
                        _figures.Add(key, list = new List<LicenseReportFigure>());
                    }

                    list.Add(figure);
                    return;
                case IEnumerable collection when value is not IDictionary:
                    // Deeper arrays are part of the report they are in.
                    foreach (var inner in collection)
                    {
                        Add(cmdlet, inner, files, baselines, errors, cancellation);
                    }

                    return;
            }

            var grouped = input is not null && (input.TypeNames.Contains(GetPCLicenseUsageCommand.GroupedType) || input.TypeNames.Contains(GetPCLicenseDeploymentCommand.GroupedType));
            if (grouped || value is CustomerLicenseReduction || !_rows.TryAdd(value))
            {
                errors.Add(ErrorRecords.UnsupportedBaselineInput(input ?? PSObject.AsPSObject(value), grouped));
            }
        }

        /// <summary>The snapshots of what was gathered: one per file the figures came from, one for the rows.</summary>
        public void Finish(List<LicenseSnapshot> baselines)
        {
            foreach (var group in _figures.Values)
            {
                baselines.Add(LicenseSnapshot.FromFigures(group, Label(group[0].ReportPath, group[0].ReportTitle), group[0].ReportGeneratedAt));
            }

            if (!_rows.IsEmpty)
            {
                var days = _rows.ProcessedDates.Select(d => d.UtcDateTime.Date).Distinct().OrderByDescending(d => d).ToList();
                baselines.Add(_rows.Snapshot(days.Count == 0 ? "the rows given" : "the rows given, processed " + days[0].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
            }
        }

        private static void AddFile(string file, HashSet<string> files, List<LicenseSnapshot> baselines, List<ErrorRecord> errors, CancellationToken cancellation)
        {
            if (!files.Add(Path.GetFullPath(file)))
            {
                return;
            }

            // Streamed into the snapshot: a baseline of any size takes memory for its customers and workloads only.
            var failed = ReportFiles.Read(
                file,
                reader => LicenseSnapshot.FromFigures(reader.ReadFigures(), Label(file, reader.Header.Title), reader.Header.GeneratedAt),
                out var snapshot,
                cancellation);
            if (failed is not null)
            {
                errors.Add(failed);
                return;
            }

            baselines.Add(snapshot!);
        }
    }
}
