using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Management.Automation;
using Microsoft.PowerShell.Commands;
using System.Globalization;
using PartnerCenterUsage.Engine.Reports;
using PartnerCenterUsage.Engine.Reports.Comparison;
using PartnerCenterUsage.Engine.Reports.Files;
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
public sealed class ExportPCLicenseReportCommand : PSCmdlet, IDisposable
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const int WriteActivityId = 0x5047;
    private const string WriteActivity = "Writing the license report";

    // Collections in collections given to -InputObject, at most: one that holds itself ends there.
    private const int MaxDepth = 32;

    private readonly CancellationTokenSource _stop = new();
    private LicenseReportBuilder? _report;
    private string? _path;
    private ReplacingFile? _file;
    private IReadOnlyList<LicenseSnapshot> _baselines = [];

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

    /// <summary>
    /// The rows: CustomerLicenseUsage, CustomerLicenseDeployment, CustomerSubscribedSku or CustomerLicenseReduction
    /// objects; an array (or a list) is its rows, as if piped.
    /// </summary>
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

        // What is at the path, and the folder, are checked now, not after every row has been fetched: a scheduled run
        // learns at once. The page's temporary file is made now too, which proves the folder takes a new file.
        try
        {
            _file = ReplacingFile.Open(_path);
        }
        catch (ReportTargetException e)
        {
            ThrowTerminatingError(ErrorRecords.ReportTargetRefused(e));
        }

        if (_file!.StaleRemoved > 0)
        {
            WriteVerbose($"Removed {_file.StaleRemoved} temporary {(_file.StaleRemoved == 1 ? "file" : "files")} of '{_path}' left by an earlier run that did not end.");
        }

        // The baselines are read before the rows stream in: one that cannot be read is known before the portfolio is fetched.
        if (MyInvocation.BoundParameters.ContainsKey(nameof(Baseline)))
        {
            var errors = new List<ErrorRecord>();
            try
            {
                _baselines = ReportBaselines.Read(this, Baseline ?? [], errors, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
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
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The command has ended.
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // Stopped, or failed before the page took the path's name: the temporary file goes, the old file stays.
        _file?.Dispose();
        _stop.Dispose();
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (InputObject is null)
        {
            return;
        }

        // An array given to -InputObject (or piped whole, ,$rows) is its rows, as the pipeline would pass them one by
        // one: enumerated by PowerShell's own rule (not a string or a hashtable), nested arrays too.
        foreach (var row in Rows(InputObject, depth: 0))
        {
            Add(row);
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var path = _path!;
        CheckTarget(path);
        var name = System.IO.Path.GetFileName(path);
        try
        {
            var report = _report!.Build(new LicenseReportOptions { Title = Title, Top = Top, GeneratedAt = DateTimeOffset.UtcNow, Baselines = _baselines });

            // The page goes to the temporary file beside the path first, and takes its name only once whole: a failure
            // while writing (a full disk) or a stop leaves the old file as it was, never half a report.
            _file!.Write(writer => LicenseReportHtml.Write(writer, report), written => Progress(name, written), _stop.Token);
            _stop.Token.ThrowIfCancellationRequested();
            _file.Commit(overwrite: !NoClobber);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            _file!.Dispose();
            throw new PipelineStoppedException();
        }
        catch (ReportTargetException e)
        {
            _file!.Dispose();
            EndProgress();
            ThrowTerminatingError(ErrorRecords.ReportTargetRefused(e));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Security.SecurityException or NotSupportedException or ArgumentException)
        {
            _file!.Dispose();
            EndProgress();
            ThrowTerminatingError(ErrorRecords.ReportWriteFailed(exception, path));
        }

        EndProgress();
        if (!PassThru)
        {
            WriteObject(new FileInfo(path));
        }
    }

    // The rows of one input: itself, or the items of a collection, depth first. A collection nested deeper than
    // MaxDepth (one that holds itself) is one input the report cannot use.
    private static IEnumerable<PSObject> Rows(PSObject input, int depth)
    {
        var items = depth < MaxDepth ? LanguagePrimitives.GetEnumerable(input.BaseObject) : null;
        if (items is null)
        {
            yield return input;
            yield break;
        }

        foreach (var item in items)
        {
            if (item is null)
            {
                continue;
            }

            foreach (var row in Rows(PSObject.AsPSObject(item), depth + 1))
            {
                yield return row;
            }
        }
    }

    private void Add(PSObject row)
    {
        // A -GroupBy row is of a report type, but a sum without its customer: the report would count it twice.
        var grouped = IsGrouped(row);
        if (grouped || !_report!.TryAdd(row.BaseObject))
        {
            WriteError(ErrorRecords.UnsupportedReportInput(row, grouped));
        }

        if (PassThru)
        {
            WriteObject(row);
        }
    }

    private void EndProgress() => WriteProgress(new ProgressRecord(WriteActivityId, WriteActivity, "Done") { RecordType = ProgressRecordType.Completed });

    // On the pipeline thread, from the write itself: at the start and every MB.
    private void Progress(string name, long written) =>
        WriteProgress(new ProgressRecord(WriteActivityId, WriteActivity, string.Format(CultureInfo.InvariantCulture, "{0}: {1:N1} MB written", name, written / (1024.0 * 1024.0))));

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
