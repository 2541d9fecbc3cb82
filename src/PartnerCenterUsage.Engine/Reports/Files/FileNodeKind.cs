namespace PartnerCenterUsage.Engine.Reports.Files;

/// <summary>What is at a path, the path's own last component not followed when it is a link.</summary>
internal enum FileNodeKind
{
    /// <summary>Nothing.</summary>
    Missing,

    /// <summary>What is there could not be told (the folder cannot be searched): creating a file there will say.</summary>
    Unknown,

    /// <summary>A regular file.</summary>
    File,

    /// <summary>A folder.</summary>
    Directory,

    /// <summary>A symbolic link (on Windows, any reparse point).</summary>
    SymbolicLink,

    /// <summary>A character or block device.</summary>
    Device,

    /// <summary>A named pipe (FIFO).</summary>
    Pipe,

    /// <summary>A socket.</summary>
    Socket,
}
