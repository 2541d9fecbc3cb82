using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Commands;

/// <summary>
/// Reads back the figures a page of Export-PCLicenseReport carries: one LicenseReportFigure per customer, product and
/// workload (usage), customer and product (deployment) and customer and SKU, as the report counted them, with the
/// report's title, time, module version and path. Read line by line in bounded memory, twice: once to check the whole
/// file, then to write its figures. A file that is not such a report,
/// of a newer format or damaged is an error about that file; the other files are still read.
/// </summary>
[Cmdlet(VerbsData.Import, "PCLicenseReport", DefaultParameterSetName = PathSet)]
[OutputType(typeof(LicenseReportFigure))]
public sealed class ImportPCLicenseReportCommand : PSCmdlet, IDisposable
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private readonly CancellationTokenSource _stop = new();

    /// <summary>The report files; wildcards may name several.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>
    /// The report files, taken as written: no character is a wildcard. Get-ChildItem's files bind here by their PSPath,
    /// and Export-PCLicenseReport's FileInfo by its FullName.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <inheritdoc/>
    protected override void StopProcessing() => _stop.Cancel();

    /// <inheritdoc/>
    public void Dispose() => _stop.Dispose();

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var literal = ParameterSetName == LiteralPathSet;
        foreach (var path in literal ? LiteralPath : Path)
        {
            var errors = new List<ErrorRecord>();
            var files = ReportFiles.Resolve(this, path, literal, errors);
            errors.ForEach(WriteError);
            foreach (var file in files)
            {
                // The file is read through once before any figure is written, so that a damaged one gives none (not
                // the figures before the damage, which a script could not tell from a whole report's).
                if (Stopping)
                {
                    return;
                }

                ErrorRecord? failed;
                try
                {
                    failed = ReportFiles.ReadChecked(file, WriteObject, _stop.Token);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    throw new PipelineStoppedException();
                }

                if (failed is not null)
                {
                    WriteError(failed);
                }
            }
        }
    }
}
