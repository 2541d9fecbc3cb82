# Helpers of the Pester suite, dot-sourced by each *.Tests.ps1 in its BeforeAll.

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path
$script:SeedCustomer = '4d3cf487-70f4-4e1e-9ff1-b2bfce8d9f04'

# The built module: what $env:PARTNERCENTERUSAGE_MODULE names, or out/PartnerCenterUsage.
function Get-BuiltModule {
    $path = if ($env:PARTNERCENTERUSAGE_MODULE) { $env:PARTNERCENTERUSAGE_MODULE } else { Join-Path $script:RepoRoot 'out' 'PartnerCenterUsage' 'PartnerCenterUsage.psd1' }
    if (-not (Test-Path $path)) { throw "The module is not built ($path): run 'dotnet build' first." }
    (Resolve-Path $path).Path
}

# The built simulator: what $env:PARTNERCENTERUSAGE_SIMULATOR names, or the newest build of the project.
function Get-BuiltSimulator {
    if ($env:PARTNERCENTERUSAGE_SIMULATOR) { return $env:PARTNERCENTERUSAGE_SIMULATOR }
    $built = Get-ChildItem (Join-Path $script:RepoRoot 'src' 'PartnerCenterUsage.Simulator' 'bin') -Filter 'PartnerCenterUsage.Simulator.dll' -Recurse -ErrorAction SilentlyContinue |
        Sort-Object LastWriteTimeUtc -Descending | Select-Object -First 1
    if (-not $built) { throw "The simulator is not built: run 'dotnet build' first." }
    $built.FullName
}

<#
    Starts the built simulator itself (not through `dotnet run`, whose stop would leave the server running), on a free
    loopback port it reports, with its output in files so it never holds the caller's output pipe, and tied to this
    pwsh with --parent-pid so it ends with it whatever happens. Stop it with Stop-TestSimulator.
#>
function Start-TestSimulator {
    param([int] $Customers = 30, [int] $LatencyMs = 0, [string] $Token = 'simulator-token', [int] $CommercialPageSize = 10000, [int] $HistoryMonths = 0)
    $log = Join-Path ([System.IO.Path]::GetTempPath()) ("pcu-simulator-" + [guid]::NewGuid().ToString('N'))
    $arguments = @((Get-BuiltSimulator), '--urls', 'http://127.0.0.1:0', '--customers', $Customers, '--latency-ms', $LatencyMs, '--token', $Token, '--commercial-page-size', $CommercialPageSize, '--history-months', $HistoryMonths, '--parent-pid', $PID)
    $process = Start-Process -FilePath 'dotnet' -ArgumentList $arguments -PassThru -RedirectStandardOutput "$log.out" -RedirectStandardError "$log.err"
    $deadline = [DateTime]::UtcNow.AddMinutes(1)
    $endpoint = $null
    while (-not $endpoint) {
        if ($process.HasExited) { throw "The simulator exited: $(Get-Content "$log.err" -Raw)" }
        if ([DateTime]::UtcNow -gt $deadline) { Stop-Process -Id $process.Id -Force; throw 'The simulator did not start within a minute.' }
        $line = Select-String -Path "$log.out" -Pattern 'simulator at (http://\S+?)/? with' -ErrorAction SilentlyContinue | Select-Object -First 1
        if ($line) { $endpoint = $line.Matches[0].Groups[1].Value } else { Start-Sleep -Milliseconds 50 }
    }

    [pscustomobject]@{ Process = $process; Endpoint = $endpoint; Token = $Token; Log = $log }
}

function Stop-TestSimulator {
    param($Simulator)
    if (-not $Simulator) { return }
    if (-not $Simulator.Process.HasExited) {
        Stop-Process -Id $Simulator.Process.Id -Force -ErrorAction SilentlyContinue
        $Simulator.Process.WaitForExit(10000) | Out-Null
    }

    Remove-Item "$($Simulator.Log).out", "$($Simulator.Log).err" -ErrorAction SilentlyContinue
}

# The requests the simulator has received so far.
function Get-SimulatorRequestCount {
    param($Simulator)
    (Invoke-RestMethod -Uri "$($Simulator.Endpoint)/simulator/requests").count
}

<#
    Runs a script in a new pwsh, as a user would in a terminal: in a pseudo-terminal of -Width columns (script(1), on
    Linux), or with its output redirected (as to a file or a scheduled task's log). Returns the exit code and what was
    written, without colour escapes.
#>
function Invoke-ChildShell {
    param(
        [Parameter(Mandatory)] [string] $Script,
        [int] $Width,
        [hashtable] $Environment = @{},
        [string] $WorkingDirectory = $TestDrive
    )

    $file = Join-Path $TestDrive ("child-" + [guid]::NewGuid().ToString('N') + '.ps1')
    Set-Content -Path $file -Value $Script -Encoding utf8
    $pwsh = Join-Path $PSHOME 'pwsh.dll'
    $saved = @{}
    foreach ($name in $Environment.Keys) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $Environment[$name])
    }

    Push-Location $WorkingDirectory
    try {
        if ($Width) {
            $command = "stty cols $Width rows 50; exec dotnet '$pwsh' -NoProfile -NonInteractive -File '$file'"
            $text = & script -qec $command /dev/null 2>&1
        }
        else {
            $text = & dotnet $pwsh -NoProfile -NonInteractive -File $file 2>&1
        }

        $exitCode = $LASTEXITCODE
    }
    finally {
        Pop-Location
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }

    $plain = ((@($text) | ForEach-Object { "$_" }) -join "`n") -replace "`e\[[0-9;?]*[A-Za-z]", '' -replace "`e[=>]", '' -replace "`r", ''
    [pscustomobject]@{ ExitCode = $exitCode; Text = $plain }
}

# True where a pseudo-terminal of a chosen width can be made (script(1) of util-linux).
function Test-PseudoTerminal {
    $IsLinux -and [bool](Get-Command script -CommandType Application -ErrorAction SilentlyContinue)
}

# The ```powershell blocks of a markdown file that follow the marker <!-- runs in tests/Pester -->.
function Get-MarkedExample {
    param([string] $Path)
    $text = (Get-Content -Path $Path -Raw) -replace "`r`n", "`n"
    foreach ($match in [regex]::Matches($text, '<!-- runs in tests/Pester -->\s*\n```powershell\n(?<code>(?s:.*?))```')) {
        $match.Groups['code'].Value
    }
}

<#
    The examples of docs/cmdlets that run against the simulator (-All: every one, those that need a real tenant too),
    found as DocumentedExampleTests finds them: by the same C#, tests/PartnerCenterUsage.Tests/Support/DocumentedExamples.cs,
    compiled here once per session with Add-Type.
#>
function Get-DocumentedExample {
    param([switch] $All)
    if (-not ('PartnerCenterUsage.Tests.Support.DocumentedExamples' -as [type])) {
        $support = Join-Path $script:RepoRoot 'tests' 'PartnerCenterUsage.Tests' 'Support'
        # The implicit usings of the test project (Microsoft.NET.Sdk's), which the files rely on and Add-Type lacks.
        $usings = Join-Path ([System.IO.Path]::GetTempPath()) ("pcu-usings-" + [guid]::NewGuid().ToString('N') + '.cs')
        Set-Content -Path $usings -Value @('System', 'System.Collections.Generic', 'System.IO', 'System.Linq', 'System.Net.Http', 'System.Threading', 'System.Threading.Tasks').ForEach({ "global using $_;" })
        try { Add-Type -Path $usings, (Join-Path $support 'DocumentedExample.cs'), (Join-Path $support 'DocumentedExamples.cs') }
        finally { Remove-Item -Path $usings -ErrorAction SilentlyContinue }
    }

    $directory = Join-Path $script:RepoRoot 'docs' 'cmdlets'
    if ($All) { [PartnerCenterUsage.Tests.Support.DocumentedExamples]::All($directory) }
    else { [PartnerCenterUsage.Tests.Support.DocumentedExamples]::Runnable($directory) }
}

# An unsigned JWT-shaped token with an MFA claim: Get-PCContext reads its claims, the simulator accepts it by value.
function New-TestToken {
    $encode = { param($value) [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes(($value | ConvertTo-Json -Compress))).TrimEnd('=').Replace('+', '-').Replace('/', '_') }
    $payload = @{ upn = 'admin@pester.example'; tid = [guid]::NewGuid().ToString(); amr = @('pwd', 'mfa'); exp = [DateTimeOffset]::UtcNow.AddHours(1).ToUnixTimeSeconds(); scp = 'user_impersonation' }
    '{0}.{1}.{2}' -f (& $encode @{ alg = 'none'; typ = 'JWT' }), (& $encode $payload), ('s3cr3t' + [guid]::NewGuid().ToString('N'))
}

<#
    The processes of a suite run that are still running: on Linux every process that inherited the run's marker
    (PARTNERCENTERUSAGE_SUITE_RUN, set by Invoke-PesterSuite.ps1), wherever it was re-parented; elsewhere the descendants
    of this pwsh that are still its children.
#>
function Get-SuiteProcess {
    param([string] $Marker = $env:PARTNERCENTERUSAGE_SUITE_RUN)
    if (-not $Marker) { return }
    if ($IsLinux) {
        $needle = "PARTNERCENTERUSAGE_SUITE_RUN=$Marker"
        foreach ($entry in [System.IO.Directory]::GetDirectories('/proc')) {
            $id = 0
            if (-not [int]::TryParse([System.IO.Path]::GetFileName($entry), [ref] $id) -or $id -eq $PID) { continue }
            try { $environment = [System.IO.File]::ReadAllText("$entry/environ") } catch { continue }
            if ($environment.Split([char]0) -contains $needle) { Get-Process -Id $id -ErrorAction SilentlyContinue }
        }
    }
    else {
        Get-Process | Where-Object { $_.Parent.Id -eq $PID }
    }
}
