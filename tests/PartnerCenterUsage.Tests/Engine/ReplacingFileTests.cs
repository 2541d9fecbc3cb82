using PartnerCenterUsage.Engine.Reports.Files;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>
/// ReplacingFile, the one way a report reaches the disk: written beside its path and given its name only once whole, so
/// that a failure (a full disk) or a stop while writing leaves the old file as it was and no temporary file; what is at
/// the path is checked again before it is replaced.
/// </summary>
public sealed class ReplacingFileTests : IDisposable
{
    private static readonly byte[] OldPage = "<p>last month's report</p>\n"u8.ToArray();
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("pcu-replacing-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string File(string name) => Path.Combine(_directory.FullName, name);

    private string[] Names() => [.. _directory.GetFileSystemInfos().Select(f => f.Name).Order(StringComparer.Ordinal)];

    // A page of 4 MB, written a line at a time, as the report's writer writes.
    private static void LargePage(TextWriter writer)
    {
        var line = new string('x', 1023);
        for (var i = 0; i < 4096; i++)
        {
            writer.WriteLine(line);
        }
    }

    [Fact]
    public void The_temporary_file_is_beside_the_path_empty_and_named_after_it_until_the_page_takes_the_name()
    {
        var path = File("report.html");
        System.IO.File.WriteAllBytes(path, OldPage);

        using (var file = ReplacingFile.Open(path))
        {
            Assert.Equal(_directory.FullName, Path.GetDirectoryName(file.TemporaryPath));
            Assert.Matches(@"^\.report\.html\.[0-9a-f]{32}\.partial$", Path.GetFileName(file.TemporaryPath));
            Assert.Equal(0, new FileInfo(file.TemporaryPath).Length);
            Assert.Equal(OldPage, System.IO.File.ReadAllBytes(path));

            Assert.Equal(10, file.Write(w => w.Write("<p>new</p>"), null, CancellationToken.None));
            file.Commit(overwrite: true);
        }

        Assert.Equal("<p>new</p>", System.IO.File.ReadAllText(path));
        Assert.Equal(["report.html"], Names());
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void A_private_file_s_new_page_is_private_from_its_first_byte_not_only_once_it_takes_the_name()
    {
        var path = File("private.html");
        System.IO.File.WriteAllBytes(path, OldPage);
        System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        using var file = ReplacingFile.Open(path);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, System.IO.File.GetUnixFileMode(file.TemporaryPath));
    }

    [Fact]
    public void A_failure_while_writing_leaves_the_old_file_and_takes_the_temporary_one_away()
    {
        var path = File("report.html");
        System.IO.File.WriteAllBytes(path, OldPage);

        using (var file = ReplacingFile.Open(path))
        {
            var failure = Assert.Throws<IOException>(() => file.Write(
                w =>
                {
                    LargePage(w);
                    throw new IOException("No space left on device");
                },
                null,
                CancellationToken.None));
            Assert.Equal("No space left on device", failure.Message);
        }

        Assert.Equal(OldPage, System.IO.File.ReadAllBytes(path));
        Assert.Equal(["report.html"], Names());
    }

    [Fact]
    public void A_stop_ends_the_write_within_a_buffer_and_the_old_file_stays()
    {
        var path = File("report.html");
        System.IO.File.WriteAllBytes(path, OldPage);
        using var stop = new CancellationTokenSource();
        var told = new List<long>();
        long writtenAtStop = -1;

        using (var file = ReplacingFile.Open(path))
        {
            Assert.Throws<OperationCanceledException>(() => file.Write(
                LargePage,
                written =>
                {
                    told.Add(written);
                    if (written > 0)
                    {
                        stop.Cancel();
                        writtenAtStop = new FileInfo(file.TemporaryPath).Length;
                    }
                },
                stop.Token));

            // Nothing was written after the stop but what the file stream already held.
            Assert.InRange(new FileInfo(file.TemporaryPath).Length, writtenAtStop, writtenAtStop + 64 * 1024);
        }

        Assert.Equal(2, told.Count);
        Assert.Equal(0, told[0]);
        Assert.InRange(told[1], 1024 * 1024, (1024 * 1024) + (64 * 1024));
        Assert.Equal(OldPage, System.IO.File.ReadAllBytes(path));
        Assert.Equal(["report.html"], Names());
    }

    [Fact]
    public void A_link_put_at_the_path_while_the_rows_were_read_is_refused_and_left_as_it_is()
    {
        var path = File("report.html");
        var elsewhere = File("elsewhere.html");
        System.IO.File.WriteAllBytes(path, OldPage);
        System.IO.File.WriteAllBytes(elsewhere, OldPage);

        using (var file = ReplacingFile.Open(path))
        {
            file.Write(w => w.Write("<p>new</p>"), null, CancellationToken.None);
            System.IO.File.Delete(path);
            System.IO.File.CreateSymbolicLink(path, elsewhere);

            var refused = Assert.Throws<ReportTargetException>(() => file.Commit(overwrite: true));

            Assert.Equal(ReportTargetProblem.SymbolicLink, refused.Problem);
            Assert.Contains("(it became one while the rows were read)", refused.Message, StringComparison.Ordinal);
        }

        Assert.Equal(elsewhere, new FileInfo(path).LinkTarget);
        Assert.Equal(OldPage, System.IO.File.ReadAllBytes(elsewhere));
        Assert.Equal(["elsewhere.html", "report.html"], Names());
    }

    [Fact]
    public void Without_overwrite_a_file_that_appeared_meanwhile_is_kept()
    {
        var path = File("report.html");

        using (var file = ReplacingFile.Open(path))
        {
            file.Write(w => w.Write("<p>new</p>"), null, CancellationToken.None);
            System.IO.File.WriteAllBytes(path, OldPage);

            Assert.Throws<IOException>(() => file.Commit(overwrite: false));
        }

        Assert.Equal(OldPage, System.IO.File.ReadAllBytes(path));
        Assert.Equal(["report.html"], Names());
    }

    [Fact]
    public void A_missing_folder_and_a_folder_at_the_path_are_refused_and_nothing_is_made()
    {
        Assert.Equal(ReportTargetProblem.FolderMissing, Assert.Throws<ReportTargetException>(() => ReplacingFile.Open(File(Path.Combine("missing", "r.html")))).Problem);
        Directory.CreateDirectory(File("folder.html"));
        Assert.Equal(ReportTargetProblem.Folder, Assert.Throws<ReportTargetException>(() => ReplacingFile.Open(File("folder.html"))).Problem);
        Assert.Equal(["folder.html"], Names());
        Assert.Empty(Directory.GetFileSystemEntries(File("folder.html")));
    }

    [Theory]
    [InlineData(".report.html.0123456789abcdef0123456789abcdef.partial", "report.html", true)]
    [InlineData(".report.html.0123456789abcdef0123456789abcdef.tmp", "report.html", true)]
    [InlineData(".report.html.0123456789abcdef0123456789abcdef.partial", "report.htm", false)]
    [InlineData(".report.html.0123456789abcdef0123456789abcdeg.partial", "report.html", false)]
    [InlineData(".report.html.partial", "report.html", false)]
    [InlineData("report.html", "report.html", false)]
    public void Only_temporary_files_of_the_same_path_are_taken_for_its_own(string name, string of, bool own) =>
        Assert.Equal(own, ReplacingFile.IsTemporaryOf(name, of));

    [Fact]
    public void A_long_name_s_temporary_file_keeps_within_the_length_a_name_may_have()
    {
        var name = new string('é', 120) + ".html";
        var path = File(name);

        using var file = ReplacingFile.Open(path);

        Assert.True(System.Text.Encoding.UTF8.GetByteCount(Path.GetFileName(file.TemporaryPath)) <= 255);
        Assert.True(ReplacingFile.IsTemporaryOf(Path.GetFileName(file.TemporaryPath), name));
    }
}
