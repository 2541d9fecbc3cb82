using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace PartnerCenterUsage.Engine.Reports.Files;

/// <summary>
/// The one way a report reaches the disk: written beside its path, under a temporary name in the same folder, and
/// given the path's name only once whole, so that a failure or a stop while writing leaves what was there as it was.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Open"/> is meant to run before the rows are fetched: it refuses what a report must not replace (a folder,
/// a symbolic link, a file with other names, a device, a named pipe, a socket) and creates the temporary file at once,
/// which proves the folder takes a new file before the first request. The file stays open, locked, until the page is
/// written (<see cref="Write"/>) and takes the path's name (<see cref="Commit"/>); disposed before that, it is deleted.
/// Open also writes 64 KB to it, through to the disk, and takes them back: a disk with no room (or a quota spent)
/// is found then, not once the rows are in; and gives it the old file's permissions at once, so that a private
/// report's new page is never readable by others while it is written.
/// </para>
/// <para>
/// The replacement keeps what it can of the old file: on Unix its permission bits, and its owner and group where the
/// account may set them (root; or a group the account is in); on Windows File.Replace keeps the old file's access
/// control list and attributes. What is at the path is checked again just before, so a link put there while the rows
/// were fetched is refused too. Extended attributes and POSIX access control lists beyond the permission bits are not
/// carried over.
/// </para>
/// <para>
/// The temporary file is named <c>.&lt;name&gt;.&lt;32 hex digits&gt;.partial</c>. A process killed while it wrote
/// (kill -9, a power cut) leaves it behind: the next <see cref="Open"/> for the same path removes those no process
/// holds open and that are older than itself (and the <c>.tmp</c> ones earlier versions left), so a run in progress
/// beside it, which holds its own locked, keeps it.
/// </para>
/// </remarks>
public sealed class ReplacingFile : IDisposable
{
    /// <summary>The end of a temporary file's name.</summary>
    public const string TemporarySuffix = ".partial";

    // The temporaries of versions before this one: ".<name>.<32 hex digits>.tmp".
    private const string EarlierSuffix = ".tmp";

    // A name's first characters in the temporary name: room for the rest within the 255 bytes a name may take.
    private const int NameCharacters = 64;

    // What Open writes and takes back to prove the disk has room: the page's head, style and script take about as much.
    private const int ReservedBytes = 64 * 1024;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly FileStream _stream;
    private bool _committed;
    private bool _disposed;

    private ReplacingFile(string path, string temporaryPath, FileStream stream, int staleRemoved)
    {
        Path = path;
        TemporaryPath = temporaryPath;
        _stream = stream;
        StaleRemoved = staleRemoved;
    }

    /// <summary>The path the report is written to.</summary>
    public string Path { get; }

    /// <summary>Where it is written until it is whole.</summary>
    public string TemporaryPath { get; }

    /// <summary>Temporary files of earlier runs for the same path that <see cref="Open"/> removed (they had been left behind).</summary>
    public int StaleRemoved { get; }

    /// <summary>
    /// Checks <paramref name="path"/> (a full path) and creates the temporary file beside it; a
    /// <see cref="ReportTargetException"/> when the report cannot be written there.
    /// </summary>
    public static ReplacingFile Open(string path)
    {
        if (path is null)
        {
            throw new ArgumentNullException(nameof(path));
        }

        var started = DateTime.UtcNow;
        var node = FileNode.Of(path);
        Refuse(path, node, again: false);
        var folder = System.IO.Path.GetDirectoryName(path);
        if (string.IsNullOrEmpty(folder) || !Directory.Exists(folder))
        {
            throw new ReportTargetException(ReportTargetProblem.FolderMissing, path, string.Format(CultureInfo.InvariantCulture, "The folder '{0}' does not exist.", folder));
        }

        var name = System.IO.Path.GetFileName(path);
        var stale = RemoveStale(folder!, name, started);
        var temporary = System.IO.Path.Combine(folder!, Prefix(name) + Guid.NewGuid().ToString("N") + TemporarySuffix);
        FileStream stream;
        try
        {
            stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException or NotSupportedException)
        {
            throw new ReportTargetException(
                ReportTargetProblem.FolderNotWritable,
                path,
                string.Format(CultureInfo.InvariantCulture, "The folder '{0}' does not take a new file: {1}", folder, e.Message),
                e);
        }

        var file = new ReplacingFile(path, temporary, stream, stale);
        try
        {
            file.Reserve();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            file.Dispose();
            throw new ReportTargetException(
                ReportTargetProblem.FolderNotWritable,
                path,
                string.Format(CultureInfo.InvariantCulture, "The folder '{0}' has no room for the report: {1}", folder, e.Message),
                e);
        }

        if (node.Exists)
        {
            // The old file's permissions from the start, not only at the end: a private report's new page is never
            // readable by others while it is written. Commit gives them again (they may have changed) and fails if it cannot.
            try
            {
                file.Keep(node);
            }
            catch (IOException)
            {
            }
        }

        return file;
    }

    // Room for the page's first bytes, written through to the disk and taken back: a full disk, a quota spent or a file
    // size limit is found now, before any row is fetched, not after. (A disk that fills while the rows are read is
    // found when the page is written, and the old file stays.) A limit on file sizes is told as ArgumentException.
    private void Reserve()
    {
        var zeros = new byte[ReservedBytes];
        _stream.Write(zeros, 0, zeros.Length);
        _stream.Flush(flushToDisk: true);
        _stream.SetLength(0);
        _stream.Position = 0;
    }

    /// <summary>
    /// Writes the page (<paramref name="page"/> writes it, UTF-8 without a byte order mark) to the temporary file, and
    /// flushes it to the disk. <paramref name="written"/> is told the bytes written, at the start and every MB, on the
    /// writing thread. Stopped by <paramref name="cancellation"/> within a buffer (OperationCanceledException); a
    /// failure (a full disk: IOException) goes on up. Either way the path is untouched; dispose to delete the file.
    /// </summary>
    /// <returns>The page's size in bytes.</returns>
    public long Write(Action<TextWriter> page, Action<long>? written, CancellationToken cancellation)
    {
        if (page is null)
        {
            throw new ArgumentNullException(nameof(page));
        }

        ThrowIfDone();
        cancellation.ThrowIfCancellationRequested();
        _stream.SetLength(0);
        written?.Invoke(0);
        var watched = new WatchedStream(_stream, written, cancellation);
        var writer = new StreamWriter(watched, Utf8, 16 * 1024, leaveOpen: true);
        try
        {
            page(writer);
            writer.Flush();
        }
        catch
        {
            watched.Abandon();
            throw;
        }
        finally
        {
            writer.Dispose();
        }

        cancellation.ThrowIfCancellationRequested();
        _stream.Flush(flushToDisk: true);
        return watched.Written;
    }

    /// <summary>
    /// Gives the written page the path's name: what is there is checked again (<see cref="ReportTargetException"/>),
    /// and replaced, keeping what it can of it, when <paramref name="overwrite"/> (an IOException when it exists and
    /// not).
    /// </summary>
    public void Commit(bool overwrite)
    {
        ThrowIfDone();
        _stream.Dispose();
        var node = FileNode.Of(Path);
        Refuse(Path, node, again: true);
        if (!node.Exists)
        {
            File.Move(TemporaryPath, Path);
            _committed = true;
            return;
        }

        if (!overwrite)
        {
            throw new IOException(string.Format(CultureInfo.InvariantCulture, "The file '{0}' already exists.", Path));
        }

        Keep(node);
        var windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
        var readOnly = windows && (File.GetAttributes(Path) & FileAttributes.ReadOnly) != 0;
        if (readOnly)
        {
            // ReplaceFile refuses a read-only file: the flag is taken off for the replacement, and the page gets it back.
            File.SetAttributes(Path, File.GetAttributes(Path) & ~FileAttributes.ReadOnly);
        }

        try
        {
            File.Replace(TemporaryPath, Path, destinationBackupFileName: null);
            _committed = true;
        }
        finally
        {
            if (readOnly && File.Exists(Path))
            {
                File.SetAttributes(Path, File.GetAttributes(Path) | FileAttributes.ReadOnly);
            }
        }
    }

    /// <summary>Closes the temporary file, and deletes it unless it took the path's name.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stream.Dispose();
        if (!_committed)
        {
            try
            {
                File.Delete(TemporaryPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left behind: the next run for this path removes it.
            }
        }
    }

    /// <summary>Whether <paramref name="name"/> (a file name) is a temporary file of this writer for the file <paramref name="of"/>, or of earlier versions.</summary>
    internal static bool IsTemporaryOf(string name, string of)
    {
        foreach (var (prefix, suffix) in new[] { (Prefix(of), TemporarySuffix), ("." + of + ".", EarlierSuffix) })
        {
            if (name.Length == prefix.Length + 32 + suffix.Length
                && name.StartsWith(prefix, StringComparison.Ordinal)
                && name.EndsWith(suffix, StringComparison.Ordinal)
                && IsHex(name, prefix.Length, 32))
            {
                return true;
            }
        }

        return false;
    }

    private static string Prefix(string name)
    {
        var length = Math.Min(name.Length, NameCharacters);
        if (length < name.Length && char.IsHighSurrogate(name[length - 1]))
        {
            length--;
        }

        return "." + name.Substring(0, length) + ".";
    }

    private static bool IsHex(string text, int start, int count)
    {
        for (var i = start; i < start + count; i++)
        {
            if (!Uri.IsHexDigit(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    // The temporaries of this path that a run which did not end left: older than this run, and held open by no process
    // (a writer holds its own locked until it is done, FileShare.None, which .NET takes as a lock on Unix as well).
    private static int RemoveStale(string folder, string name, DateTime started)
    {
        var removed = 0;
        try
        {
            foreach (var file in new DirectoryInfo(folder).EnumerateFiles(".*"))
            {
                if (!IsTemporaryOf(file.Name, name) || file.LastWriteTimeUtc >= started || FileNode.Of(file.FullName).Kind != FileNodeKind.File)
                {
                    continue;
                }

                try
                {
                    using (new FileStream(file.FullName, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                    {
                    }

                    file.Delete();
                    removed++;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Held by a run still writing, or not ours to remove.
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            // A folder that cannot be listed: creating the temporary file says whether it can be written.
        }

        return removed;
    }

    private static void Refuse(string path, FileNode node, bool again)
    {
        var since = again ? " (it became one while the rows were read)" : string.Empty;
        switch (node.Kind)
        {
            case FileNodeKind.Directory:
                throw new ReportTargetException(ReportTargetProblem.Folder, path, string.Format(CultureInfo.InvariantCulture, "'{0}' is a folder.", path));
            case FileNodeKind.SymbolicLink:
                throw new ReportTargetException(
                    ReportTargetProblem.SymbolicLink,
                    path,
                    string.Format(CultureInfo.InvariantCulture, "'{0}' is a symbolic link{1}: the report would replace the link, not what it points at.", path, since));
            case FileNodeKind.File when node.LinkCount > 1:
                throw new ReportTargetException(
                    ReportTargetProblem.HardLink,
                    path,
                    string.Format(CultureInfo.InvariantCulture, "'{0}' is a file with {1} names (hard links){2}: the report would replace this name only, and the others would keep the old content.", path, node.LinkCount, since));
            case FileNodeKind.Device:
            case FileNodeKind.Pipe:
            case FileNodeKind.Socket:
                var what = node.Kind switch
                {
                    FileNodeKind.Device => "a device",
                    FileNodeKind.Pipe => "a named pipe (FIFO)",
                    _ => "a socket",
                };
                throw new ReportTargetException(
                    ReportTargetProblem.NotAFile,
                    path,
                    string.Format(CultureInfo.InvariantCulture, "'{0}' is {1}, not a file{2}: the report would put a file in its place.", path, what, since));
        }
    }

    // The old file's permission bits, then its owner and group where the account may set them, on the new page before
    // it takes the name. Permissions that cannot be kept stop the replacement: a private file must not come back public.
    private void Keep(FileNode old)
    {
        if (old.Mode is not { } mode)
        {
            return;
        }

        if (LinuxFiles.IsAvailable)
        {
            var written = FileNode.Of(TemporaryPath);
            if (old.Owner is { } owner && old.Group is { } group && (written.Owner != owner || written.Group != group)
                && !LinuxFiles.TrySetOwner(TemporaryPath, owner, group))
            {
                // Not root: the owner stays the account's; the group is kept when the account is in it.
                LinuxFiles.TrySetOwner(TemporaryPath, uint.MaxValue, group);
            }

            if (!LinuxFiles.TrySetMode(TemporaryPath, mode, out var error))
            {
                throw new IOException(string.Format(CultureInfo.InvariantCulture, "The new page could not be given the permissions of '{0}' (error {1}): the file is left as it was.", Path, error));
            }

            return;
        }

        if (!UnixFileModes.TrySet(TemporaryPath, mode))
        {
            throw new IOException(string.Format(CultureInfo.InvariantCulture, "The new page could not be given the permissions of '{0}': the file is left as it was.", Path));
        }
    }

    private void ThrowIfDone()
    {
        if (_disposed || _committed)
        {
            throw new ObjectDisposedException(nameof(ReplacingFile));
        }
    }
}
