#Requires -Version 7.0
<#
.SYNOPSIS
    Builds and tests PartnerCenterUsage for pwsh users.
.DESCRIPTION
    Build: dotnet build, which assembles the importable module in out/PartnerCenterUsage.
    Test:  dotnet test (the specification suite, which hosts PowerShell 7.6 in-process).
    Clean: removes out/ and the build output.
.EXAMPLE
    ./build.ps1
    ./build.ps1 -Task Test
    Import-Module ./out/PartnerCenterUsage/PartnerCenterUsage.psd1
#>
[CmdletBinding()]
param(
    [ValidateSet('Clean', 'Build', 'Test')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$solution = Join-Path $root 'PartnerCenterUsage.sln'

function Invoke-Dotnet {
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    Write-Host "dotnet $($Arguments -join ' ')" -ForegroundColor Cyan
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments[0]) failed with exit code $LASTEXITCODE." }
}

if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
    throw 'The .NET SDK (dotnet) is required: see global.json for the version.'
}

foreach ($step in $Task) {
    switch ($step) {
        'Clean' {
            Invoke-Dotnet clean $solution -c $Configuration
            Remove-Item -Recurse -Force (Join-Path $root 'out') -ErrorAction SilentlyContinue
        }
        'Build' {
            Invoke-Dotnet build $solution -c $Configuration
            Write-Host "Module: $(Join-Path $root 'out' 'PartnerCenterUsage')" -ForegroundColor Green
        }
        'Test' {
            Invoke-Dotnet test $solution -c $Configuration
        }
    }
}
