using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Management.Automation;
using Microsoft.PowerShell.Commands;
using System.Text;
using PartnerCenterUsage.Engine.Reports;
using PartnerCenterUsage.Engine.Reports.Comparison;
using PartnerCenterUsage.Engine.Reports.Html;

namespace PartnerCenterUsage.Commands;

/// <summary>
/// Writes the license rows it is given (usage, deployment, subscribed SKUs, license reductions, in any mix) as one
/// self-contained HTML report, and returns the file. The rows are aggregated as they stream in (LicenseReportBuilder): only the figures
/// and the rows with the most waste are kept, so a whole portfolio fits in bounded memory; at the end the builder's
/// report model is rendered (LicenseReportHtml).
/// </summary>
[Cmdlet(VerbsData.Export, "PCLicenseReport", DefaultParameterSetName = PathSet)]
[OutputType(typeof(FileInfo))]
public sealed class ExportPCLicenseReportCommand : PSCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private LicenseReportBuilder? _report;
    private string? _path;
    private IReadOnlyList<LicenseSnapshot> _baselines = [];
    private volatile CancellationTokenSource? _stopBaselines;

    /// <summary>
    /// The file to write, relative to the current location; wildcards may name one existing file (escape them with `
    /// to name a new file with [ or ] in its name, or use -LiteralPath).
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [Alias("FilePath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>The file to write, taken as it is written: no character is a wildcard.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string LiteralPath { get; set; } = string.Empty;

    /// <summary>The rows: CustomerLicenseUsage, CustomerLicenseDeployment, CustomerSubscribedSku or CustomerLicenseReduction objects.</summary>
    [Parameter(ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    /// <summary>
    /// Earlier reports to compare with: their paths (wildcards may name several), Import-PCLicenseReport's figures, or
    /// the rows of an earlier processed date (Get-PCLicenseUsage -ProcessedDateTime). The latest one before this
    /// report's figures is the baseline of the section "Since the baseline"; several make a trend per headline figure.
    /// Each array in the list is one report of its own rows.
    /// </summary>
    [Parameter]
    [AllowNull]
    [AllowEmptyCollection]
    public object?[]? Baseline { get; set; }

    /// <summary>The page's title.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Title { get; set; } = "Partner Center license report";

    /// <summary>The customers (workloads, products) each chart ranks.</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int Top { get; set; } = LicenseReportOptions.DefaultTop;

    /// <summary>Overwrites a read-only file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Never overwrites an existing file.</summary>
    [Parameter]
    [Alias("NoOverwrite")]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>Writes each input object on down the pipeline as it is read, instead of the report's FileInfo at the end.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        _path = ResolveFile();
        CheckTarget(_path);

        // The folder is checked now, not after every row has been fetched: a scheduled run learns at once.
        var folder = System.IO.Path.GetDirectoryName(_path);
        if (Directory.Exists(_path))
        {
            ThrowTerminatingError(ErrorRecords.ReportWriteFailed(new IOException($"'{_path}' is a folder."), _path));
        }

        if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
        {
            ThrowTerminatingError(ErrorRecords.ReportWriteFailed(new DirectoryNotFoundException($"The folder '{folder}' does not exist."), _path));
        }

        // The baselines are read before the rows stream in: one that cannot be read is known before the portfolio is fetched.
        if (MyInvocation.BoundParameters.ContainsKey(nameof(Baseline)))
        {
            var errors = new List<ErrorRecord>();
            using (var stop = new CancellationTokenSource())
            {
                _stopBaselines = stop;
                try
                {
                    _baselines = ReportBaselines.Read(this, Baseline ?? [], errors, stop.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    throw new PipelineStoppedException();
                }
                finally
                {
                    _stopBaselines = null;
                }
            }

            errors.ForEach(WriteError);
            if (_baselines.Count == 0)
            {
                // The first month of a job that compares with the reports it kept: no earlier one yet.
                WriteWarning("-Baseline names no earlier report that could be read: the page is written without the section that compares it.");
            }
        }

        _report = new LicenseReportBuilder();
    }

    /// <inheritdoc/>
    protected override void StopProcessing()
    {
        try
        {
            _stopBaselines?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The baselines were read already.
        }
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (InputObject is null)
        {
            return;
        }

        // A -GroupBy row is of a report type, but a sum without its customer: the report would count it twice.
        var grouped = IsGrouped(InputObject);
        if (grouped || !_report!.TryAdd(InputObject.BaseObject))
        {
            WriteError(ErrorRecords.UnsupportedReportInput(InputObject, grouped));
        }

        if (PassThru)
        {
            WriteObject(InputObject);
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var path = _path!;
        CheckTarget(path);
        var file = new FileInfo(path);
        var wasReadOnly = file.Exists && file.IsReadOnly;
        var temporary = System.IO.Path.Combine(file.DirectoryName ?? ".", "." + file.Name + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            // The page goes to a file of its own first, and takes the report's name only once complete: a failure while
            // writing (a full disk) leaves the old file as it was, never half a report.
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            using (var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
            {
                LicenseReportHtml.Write(writer, _report!.Build(new LicenseReportOptions { Title = Title, Top = Top, GeneratedAt = DateTimeOffset.UtcNow, Baselines = _baselines }));
            }

            file.Refresh();
            if (file.Exists && !NoClobber)
            {
                if (file.IsReadOnly)
                {
                    file.IsReadOnly = false;
                }

                File.Replace(temporary, path, destinationBackupFileName: null);
            }
            else
            {
                File.Move(temporary, path);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Security.SecurityException or NotSupportedException or ArgumentException)
        {
            ThrowTerminatingError(ErrorRecords.ReportWriteFailed(exception, path));
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }

            if (wasReadOnly)
            {
                file.Refresh();
                if (file.Exists)
                {
                    file.IsReadOnly = true;
                }
            }
        }

        if (!PassThru)
        {
            WriteObject(new FileInfo(path));
        }
    }

    private static bool IsGrouped(PSObject input) =>
        input.TypeNames.Contains(GetPCLicenseUsageCommand.GroupedType) || input.TypeNames.Contains(GetPCLicenseDeploymentCommand.GroupedType);

    /// <summary>
    /// The file-system path of -Path or -LiteralPath, as Out-File finds it: -Path's wildcards may match one existing
    /// file, and otherwise name a new one (unescaped). Any other provider (Env:, HKLM:) is ReportPathInvalid.
    /// </summary>
    private string ResolveFile()
    {
        var given = ParameterSetName == LiteralPathSet ? LiteralPath : Path;
        ProviderInfo? provider = null;
        string? path = null;
        if (ParameterSetName == PathSet && WildcardPattern.ContainsWildcardCharacters(Path))
        {
            var matches = ExistingMatches(Path, out provider);
            if (matches.Count > 1)
            {
                ThrowTerminatingError(ErrorRecords.ReportPathInvalid(Path, $"it names {matches.Count} files."));
            }

            path = matches.Count == 1 ? matches[0] : null;
        }

        if (path is null)
        {
            var literal = ParameterSetName == LiteralPathSet ? LiteralPath : WildcardPattern.Unescape(Path);
            path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(literal, out provider, out _);
        }

        if (provider!.ImplementingType != typeof(FileSystemProvider))
        {
            ThrowTerminatingError(ErrorRecords.ReportPathInvalid(given, $"it is a path of the {provider.Name} provider, not a file."));
        }

        return path;
    }

    private System.Collections.ObjectModel.Collection<string> ExistingMatches(string path, out ProviderInfo? provider)
    {
        try
        {
            var matches = GetResolvedProviderPathFromPSPath(path, out var found);
            provider = found;
            return matches;
        }
        catch (ItemNotFoundException)
        {
            provider = null;
            return new System.Collections.ObjectModel.Collection<string>();
        }
    }

    /// <summary>As Out-File: -NoClobber refuses an existing file, a read-only one needs -Force. Checked before the rows stream in, and again before writing.</summary>
    private void CheckTarget(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return;
        }

        if (NoClobber)
        {
            ThrowTerminatingError(ErrorRecords.ReportFileExists(path));
        }

        if (file.IsReadOnly && !Force)
        {
            ThrowTerminatingError(ErrorRecords.ReportFileReadOnly(path));
        }
    }
}
