<#
.SYNOPSIS
    Runs the Pester suite of tests/Pester in this pwsh, with the Pester that `dotnet build` restored into out/modules.
.DESCRIPTION
    The module under test is out/PartnerCenterUsage (or -ModulePath) and the simulator the built one (or -SimulatorPath):
    build first with `dotnet build`. Pester comes from its NuGet package, copied by the build into out/modules, so
    nothing needs the PowerShell Gallery. `dotnet test` runs this script in the pinned pwsh (PesterSuiteTests); build.ps1
    -Task Test runs it in the pwsh you run build.ps1 with.

    With -SummaryPath, a JSON summary of the run is written there too: the counts, and the name and message of each
    failure. After the run no process the suite started may still be running: one that is counts as a failure (and is
    stopped). The last line says how many tests passed and failed; the exit code is the number of failures.

    `dotnet test` leaves out Build.Tests.ps1 (build.ps1's tests: more builds and a package); CI runs it as a step of its
    own with -Path.
.EXAMPLE
    dotnet build; dotnet pwsh -NoProfile -File tests/Pester/Invoke-PesterSuite.ps1
.EXAMPLE
    dotnet pwsh -NoProfile -File tests/Pester/Invoke-PesterSuite.ps1 -ExcludePath tests/Pester/Build.Tests.ps1
.EXAMPLE
    dotnet pwsh -NoProfile -File tests/Pester/Invoke-PesterSuite.ps1 -Path tests/Pester/Build.Tests.ps1
#>
[CmdletBinding()]
param(
    # The built module's manifest; out/PartnerCenterUsage/PartnerCenterUsage.psd1 by default.
    [string] $ModulePath,

    # The built simulator (PartnerCenterUsage.Simulator.dll); the newest build by default.
    [string] $SimulatorPath,

    # Where to write the JSON summary of the run.
    [string] $SummaryPath,

    # Test files or folders; this folder by default.
    [string[]] $Path = @($PSScriptRoot),

    # Test files or folders left out of the run, so that they are not even discovered (nor counted).
    [string[]] $ExcludePath = @(),

    [ValidateSet('None', 'Normal', 'Detailed', 'Diagnostic')]
    [string] $Output = 'Detailed'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$repo = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path
$modules = Join-Path $repo 'out' 'modules'
$pester = Get-ChildItem -Path (Join-Path $modules 'Pester') -Filter 'Pester.psd1' -Recurse -ErrorAction SilentlyContinue | Select-Object -First 1
if (-not $pester) {
    throw "Pester is not restored in $modules : run 'dotnet build' first (it copies Pester from its NuGet package there)."
}

$env:PSModulePath = $modules + [System.IO.Path]::PathSeparator + $env:PSModulePath
Import-Module $pester.FullName -Force
if ($ModulePath) { $env:PARTNERCENTERUSAGE_MODULE = (Resolve-Path $ModulePath).Path }
if ($SimulatorPath) { $env:PARTNERCENTERUSAGE_SIMULATOR = (Resolve-Path $SimulatorPath).Path }

$configuration = New-PesterConfiguration
# pwsh -File passes -Path a,b as one string.
$configuration.Run.Path = @($Path -split ',' | ForEach-Object Trim | Where-Object { $_ })
$configuration.Run.ExcludePath = @($ExcludePath -split ',' | ForEach-Object Trim | Where-Object { $_ } | ForEach-Object { (Resolve-Path $_).Path })
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = $Output
# Every process the suite starts inherits this marker: what is still running after the run was left behind.
. (Join-Path $PSScriptRoot 'TestSupport.ps1')
$env:PARTNERCENTERUSAGE_SUITE_RUN = [guid]::NewGuid().ToString('N')

# The tests run with PowerShell's default error preference, as under a plain Invoke-Pester.
$ErrorActionPreference = 'Continue'
$result = Invoke-Pester -Configuration $configuration

# No process of the suite is left: a simulator or a shell that outlived its test would hold the caller's output pipe.
# Processes still ending get a few seconds; what is left after that is a failure, and is stopped.
$deadline = [DateTime]::UtcNow.AddSeconds(10)
while (($left = @(Get-SuiteProcess)) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
$left | Stop-Process -Force -ErrorAction SilentlyContinue

$failures = @(
    foreach ($test in $result.Failed) {
        [pscustomobject]@{ Name = $test.ExpandedPath; Message = (@($test.ErrorRecord | ForEach-Object { $_.ToString() }) -join "`n") }
    }
    foreach ($block in $result.FailedBlocks) {
        [pscustomobject]@{ Name = "$($block.Path -join '.') (block)"; Message = (@($block.ErrorRecord | ForEach-Object { $_.ToString() }) -join "`n") }
    }
    foreach ($container in $result.FailedContainers) {
        [pscustomobject]@{ Name = "$($container.Item) (file)"; Message = (@($container.ErrorRecord | ForEach-Object { $_.ToString() }) -join "`n") }
    }
    if ($left) {
        [pscustomobject]@{
            Name    = 'The suite leaves no process behind'
            Message = 'Still running after the run: ' + (($left | ForEach-Object { "$($_.Id) $($_.CommandLine)" }) -join '; ')
        }
    }
)
if ($failures) {
    Write-Host "Failed: $(($failures | ForEach-Object Name) -join ', ')" -ForegroundColor Red
}

# One line for a CI log, whatever -Output says; a failure that is no test (a block, a file, a process left) counts too.
Write-Host ('{0} passed, {1} failed, {2} skipped' -f $result.PassedCount, $failures.Count, $result.SkippedCount)

if ($SummaryPath) {
    [pscustomobject]@{
        PowerShell = $PSVersionTable.PSVersion.ToString()
        Pester   = (Get-Module Pester).Version.ToString()
        Passed   = $result.PassedCount
        Failed   = $failures.Count
        Skipped  = $result.SkippedCount
        Total    = $result.TotalCount
        Failures = $failures
    } | ConvertTo-Json -Depth 4 | Set-Content -Path $SummaryPath -Encoding utf8
}

exit $failures.Count
