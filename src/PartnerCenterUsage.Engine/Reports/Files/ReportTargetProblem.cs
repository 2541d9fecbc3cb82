namespace PartnerCenterUsage.Engine.Reports.Files;

/// <summary>Why a report cannot be written to a path (<see cref="ReportTargetException"/>).</summary>
public enum ReportTargetProblem
{
    /// <summary>The folder the file would be in does not exist.</summary>
    FolderMissing,

    /// <summary>A folder is at the path.</summary>
    Folder,

    /// <summary>The folder refuses a new file (access denied, a read-only file system, no room for one).</summary>
    FolderNotWritable,

    /// <summary>A symbolic link (or, on Windows, another reparse point) is at the path: replacing it would break the link.</summary>
    SymbolicLink,

    /// <summary>The file at the path has other names (hard links), which replacing it would leave with the old content.</summary>
    HardLink,

    /// <summary>Something other than a file is at the path: a device, a named pipe (FIFO) or a socket.</summary>
    NotAFile,
}
