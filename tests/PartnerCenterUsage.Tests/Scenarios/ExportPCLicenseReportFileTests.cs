using System.Diagnostics;
using System.Management.Automation;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>
/// Export-PCLicenseReport and what is at its path: the page is written beside it and replaces it only once whole,
/// keeping its permissions and owner; a link, a file of several names, a device or a pipe is refused, and so is a folder
/// that takes no file, before the first request; a stop while the page is written leaves the old file as it was; the
/// temporary files of a run that was killed go with the next run. Linux (these are its file kinds).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ExportPCLicenseReportFileTests : IDisposable
{
    private const string Export = "Get-PCLicenseUsage | Export-PCLicenseReport -Path $args[0]";
    private static readonly byte[] OldPage = "<p>last month's report</p>\n"u8.ToArray();
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("pcu-report-file-");

    public void Dispose()
    {
        Run("chmod", "-R", "u+rwx", _directory.FullName);
        _directory.Delete(recursive: true);
    }

    private string File(string name) => Path.Combine(_directory.FullName, name);

    // What is in the folder besides the given names: a temporary file left behind would be here.
    private string[] Others(params string[] names) =>
        [.. _directory.GetFileSystemInfos().Select(f => f.Name).Except(names).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task A_private_file_stays_private_and_keeps_its_owner_and_group()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 3 });
        var path = File("private.html");
        System.IO.File.WriteAllBytes(path, OldPage);
        System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var owner = Environment.IsPrivilegedProcess ? "65534:65534" : Stat("%u:%g", path);
        Run("chown", owner, path);

        var result = scenario.Run(Export, path);

        Assert.Empty(result.Errors);
        Assert.StartsWith("<!DOCTYPE html>", System.IO.File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Equal("600 regular file", Stat("%a %F", path));
        Assert.Equal(owner, Stat("%u:%g", path));
        Assert.Empty(Others("private.html"));
    }

    [Fact]
    public async Task A_new_file_gets_the_permissions_any_new_file_gets_here()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 3 });
        var path = File("new.html");
        var reference = File("reference");
        System.IO.File.WriteAllBytes(reference, []);

        Assert.Empty(scenario.Run(Export, path).Errors);

        Assert.Equal(Stat("%a", reference), Stat("%a", path));
    }

    [Fact]
    public async Task A_symbolic_link_is_refused_before_any_request_and_neither_it_nor_the_file_it_points_at_changes()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 3 });
        var target = File("kept.html");
        var link = File("link.html");
        System.IO.File.WriteAllBytes(target, OldPage);
        System.IO.File.CreateSymbolicLink(link, target);

        var error = scenario.RunTerminating(Export, link);

        Assert.StartsWith("ReportPathIsLink,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("is a symbolic link", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("the file the link points to", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal(link, error.TargetObject);
        Assert.Equal(0, scenario.Simulator.Requests.Count);
        Assert.Equal(target, new FileInfo(link).LinkTarget);
        Assert.Equal(OldPage, System.IO.File.ReadAllBytes(target));
        Assert.Empty(Others("kept.html", "link.html"));
    }

    [Fact]
    public async Task A_file_with_another_name_is_refused_before_any_request_and_both_names_keep_the_old_page()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 3 });
        var path = File("report.html");
        System.IO.File.WriteAllBytes(path, OldPage);
        Run("ln", path, File("copy.html"));

        var error = scenario.RunTerminating(Export, path);

        Assert.StartsWith("ReportPathIsLink,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("with 2 names (hard links)", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, scenario.Simulator.Requests.Count);
        Assert.Equal("2", Stat("%h", path));
        Assert.Equal(OldPage, System.IO.File.ReadAllBytes(File("copy.html")));
        Assert.Empty(Others("report.html", "copy.html"));
    }

    [Fact]
    public async Task A_named_pipe_is_refused_before_any_request_and_stays_a_pipe()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 3 });
        var path = File("pipe.html");
        Run("mkfifo", path);

        var error = scenario.RunTerminating(Export, path);

        Assert.StartsWith("ReportPathNotFile,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("is a named pipe (FIFO), not a file", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, scenario.Simulator.Requests.Count);
        Assert.Equal("fifo", Stat("%F", path));
        Assert.Empty(Others("pipe.html"));
    }

    [Fact]
    public async Task A_device_is_refused_before_any_request_and_stays_a_device()
    {
        // Root makes a null device of its own here (the report must not be tried on /dev/null itself as root); any
        // other account cannot replace /dev/null, so it is tried on the real one.
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 3 });
        var path = "/dev/null";
        if (Environment.IsPrivilegedProcess)
        {
            path = File("null.html");
            Run("mknod", path, "c", "1", "3");
        }

        var error = scenario.RunTerminating(Export, path);

        Assert.StartsWith("ReportPathNotFile,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("is a device, not a file", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, scenario.Simulator.Requests.Count);
        Assert.Equal("character special file", Stat("%F", path));
        Assert.Equal("character special file", Stat("%F", "/dev/null"));
    }

    [Fact]
    public async Task A_folder_that_takes_no_file_is_refused_before_any_request()
    {
        // A folder of mode 0555 refuses a new file to any account but root, which the kernel lets write anywhere; for
        // root the folder is one of sysfs, which refuses a new file to everyone. Either way it is proven first.
        var folder = _directory.CreateSubdirectory("read-only").FullName;
        System.IO.File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        if (Environment.IsPrivilegedProcess)
        {
            folder = "/sys/kernel";
        }

        Assert.ThrowsAny<UnauthorizedAccessException>(() => System.IO.File.Create(Path.Combine(folder, "probe")).Dispose());
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 3 });
        var path = Path.Combine(folder, "pcu-report.html");

        var error = scenario.RunTerminating(Export, path);

        Assert.StartsWith("ReportWriteFailed,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains($"The folder '{folder}' does not take a new file", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("No row was fetched", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal(0, scenario.Simulator.Requests.Count);
        Assert.False(System.IO.File.Exists(path));
    }

    [Fact]
    public async Task A_stop_while_the_page_is_written_ends_the_write_and_leaves_the_old_file_byte_for_byte_and_no_temporary_file()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 30 });
        var path = File("report.html");
        System.IO.File.WriteAllBytes(path, OldPage);
        using var stopped = new ManualResetEventSlim();
        using var run = scenario.Shell.Begin(
            "Import-Module -Assembly $args[0]; Get-PCLicenseUsage | Export-PCLicenseReport -Path $args[1] | Watch-PipelineStop -Stopped $args[2]",
            typeof(WatchPipelineStopCommand).Assembly,
            path,
            stopped);

        // The write tells its progress from the pipeline thread as it writes; at its first record the test stops the
        // pipeline (Ctrl+C) and holds the write there until the stop has reached every command, then lets it go on.
        var writing = 0;
        var stopReachedTheWrite = false;
        run.Streams.Progress.DataAdded += (_, e) =>
        {
            var record = run.Streams.Progress[e.Index];
            if (record.Activity == "Writing the license report" && record.RecordType == ProgressRecordType.Processing && Interlocked.Exchange(ref writing, 1) == 0)
            {
                run.BeginStop(null, null);
                stopReachedTheWrite = stopped.Wait(TimeSpan.FromSeconds(60));
            }
        };

        await Task.Factory.FromAsync(run.BeginInvoke(), run.EndInvoke).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, writing);
        Assert.True(stopReachedTheWrite);
        Assert.Equal(PSInvocationState.Stopped, run.InvocationStateInfo.State);
        Assert.Equal(OldPage, System.IO.File.ReadAllBytes(path));
        Assert.Empty(Others("report.html"));
    }

    [Fact]
    public async Task The_page_s_progress_is_told_from_the_start_and_ends_with_a_completed_record()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 3 });

        var result = scenario.Run(Export, File("report.html"));

        var writing = result.Progress.Where(p => p.Activity == "Writing the license report").ToList();
        Assert.Equal("report.html: 0.0 MB written", writing[0].StatusDescription);
        Assert.Equal(ProgressRecordType.Completed, writing[^1].RecordType);
    }

    [Fact]
    public async Task Temporary_files_that_a_killed_run_left_go_with_the_next_run_and_one_a_running_export_holds_stays()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 3 });
        var path = File("report.html");
        System.IO.File.WriteAllBytes(path, OldPage);
        var killed = File(".report.html." + Guid.NewGuid().ToString("N") + ".partial");
        var killedEarlier = File(".report.html." + Guid.NewGuid().ToString("N") + ".tmp");
        var running = File(".report.html." + Guid.NewGuid().ToString("N") + ".partial");
        var another = File(".other.html." + Guid.NewGuid().ToString("N") + ".partial");
        foreach (var file in new[] { killed, killedEarlier, running, another })
        {
            System.IO.File.WriteAllBytes(file, OldPage);
            System.IO.File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddHours(-1));
        }

        PartnerCenterUsage.Runner.PipelineResult result;
        using (new FileStream(running, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            result = scenario.Run(Export + " -Verbose", path);
        }

        Assert.Empty(result.Errors);
        Assert.Contains($"Removed 2 temporary files of '{path}' left by an earlier run that did not end.", result.Verbose);
        Assert.Equal([Path.GetFileName(another), Path.GetFileName(running)], Others("report.html"));
    }

    private static string Stat(string format, string path) => Run("stat", "-c", format, path).Trim();

    private static string Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)}: {error}");
        return output;
    }
}
