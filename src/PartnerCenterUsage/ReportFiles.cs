using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Threading;
using Microsoft.PowerShell.Commands;
using PartnerCenterUsage.Engine.Reports.Data;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage;

/// <summary>
/// Finds and reads report files for the cmdlets that read them back (Import-PCLicenseReport, Export-PCLicenseReport
/// -Baseline): paths as Get-Content takes them (wildcards, or literal), file-system only, and one ErrorRecord per file
/// that cannot be found or read, so that the other files still count.
/// </summary>
internal static class ReportFiles
{
    /// <summary>
    /// The file-system paths <paramref name="path"/> names: every file its wildcards match, or the one it names
    /// (<paramref name="literal"/>: no character is a wildcard). A path that names nothing, a folder or another
    /// provider's item is an error record in <paramref name="errors"/>.
    /// </summary>
    public static List<string> Resolve(PSCmdlet cmdlet, string path, bool literal, List<ErrorRecord> errors)
    {
        var files = new List<string>();
        ProviderInfo provider;
        IEnumerable<string> found;
        try
        {
            if (literal)
            {
                found = [cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _)];
            }
            else
            {
                found = cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out provider);
            }
        }
        catch (ItemNotFoundException)
        {
            errors.Add(ErrorRecords.ReportFileNotFound(path));
            return files;
        }
        catch (Exception e) when (e is ProviderNotFoundException or System.Management.Automation.DriveNotFoundException or PSArgumentException or NotSupportedException or ArgumentException)
        {
            errors.Add(ErrorRecords.ReportReadFailed(e, path));
            return files;
        }

        if (provider.ImplementingType != typeof(FileSystemProvider))
        {
            errors.Add(ErrorRecords.ReportReadFailed(new ArgumentException($"'{path}' is a path of the {provider.Name} provider, not a file."), path));
            return files;
        }

        var any = false;
        foreach (var file in found)
        {
            any = true;
            if (Directory.Exists(file))
            {
                errors.Add(ErrorRecords.ReportReadFailed(new IOException($"'{file}' is a folder, not a report file."), file));
            }
            else if (!File.Exists(file))
            {
                errors.Add(ErrorRecords.ReportFileNotFound(file));
            }
            else
            {
                files.Add(file);
            }
        }

        if (!any)
        {
            // A pattern that names no file: a comparison or a read that silently has nothing is worse than an error.
            errors.Add(ErrorRecords.ReportFileNotFound(path));
        }

        return files;
    }

    /// <summary>
    /// Reads every figure of <paramref name="file"/> into <paramref name="figures"/>, after a first pass over the whole
    /// file through the same handle has found it sound (so that a damaged file gives no figure); the error record of a
    /// file that cannot be read or is not sound.
    /// </summary>
    public static ErrorRecord? ReadChecked(string file, Action<LicenseReportFigure> figures, CancellationToken cancellation) =>
        Read(
            file,
            reader =>
            {
                foreach (var _ in reader.ReadFigures())
                {
                }

                reader.Rewind();
                foreach (var figure in reader.ReadFigures())
                {
                    figures(figure);
                }

                return true;
            },
            out _,
            cancellation);

    /// <summary>
    /// Opens <paramref name="file"/> and gives its reader to <paramref name="read"/>; the error record of a file that
    /// cannot be read, or of a read that failed part way. A stop (<paramref name="cancellation"/>) is no error: it goes on up.
    /// </summary>
    public static ErrorRecord? Read<T>(string file, Func<LicenseReportReader, T> read, out T? result, CancellationToken cancellation)
    {
        result = default;
        try
        {
            using var reader = LicenseReportReader.Open(file, cancellation);
            result = read(reader);
            return null;
        }
        catch (LicenseReportFileException e)
        {
            return ErrorRecords.ReportFileUnreadable(e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException or NotSupportedException)
        {
            return ErrorRecords.ReportReadFailed(e, file);
        }
    }
}
