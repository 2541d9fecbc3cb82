#Requires -Version 7.0
<#
.SYNOPSIS
    Builds, tests, documents and packages PartnerCenterUsage, for pwsh users.
.DESCRIPTION
    Clean    removes out/ and the build output.
    Build    dotnet build: assembles the importable module in out/PartnerCenterUsage (help included).
    Test     dotnet test (the specification suite), then the Pester suite in tests/Pester.
    Docs     compiles docs/cmdlets with platyPS (New-ExternalHelp) into out/PartnerCenterUsage/en-US; the build
             already compiles the same markdown without platyPS, so this is for checking it against platyPS.
    Package  a .nupkg of out/PartnerCenterUsage in out/package, published through a local repository so that
             Install-PSResource / Install-Module accept it.
    Pester and platyPS are installed at pinned versions from the PowerShell Gallery when missing; when the gallery
    cannot be reached, the steps that need them are skipped and the summary says so.
.EXAMPLE
    ./build.ps1
.EXAMPLE
    ./build.ps1 -Task Clean, Build, Test, Docs, Package
#>
[CmdletBinding()]
param(
    [ValidateSet('Clean', 'Build', 'Test', 'Docs', 'Package')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = $PSScriptRoot
$solution = Join-Path $root 'PartnerCenterUsage.sln'
$moduleDir = Join-Path (Join-Path $root 'out') 'PartnerCenterUsage'
$packageDir = Join-Path (Join-Path $root 'out') 'package'
$pinned = @{ Pester = '5.7.1'; platyPS = '0.14.2' }
$localRepository = 'PartnerCenterUsageLocal'
$skipped = [System.Collections.Generic.List[string]]::new()
$built = $false

function Invoke-Dotnet {
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    Write-Host "dotnet $($Arguments -join ' ')" -ForegroundColor Cyan
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments[0]) failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    if (-not $script:built) {
        Invoke-Dotnet build $solution -c $Configuration
        $script:built = $true
        Write-Host "Module: $moduleDir" -ForegroundColor Green
    }
}

# Imports a pinned module, installing it from the PowerShell Gallery when it is missing. False when it cannot be had.
function Use-GalleryModule {
    param([string] $Name, [string] $Version)
    if (-not (Get-Module -ListAvailable -Name $Name | Where-Object { $_.Version -eq [version]$Version })) {
        try {
            Write-Host "Installing $Name $Version from the PowerShell Gallery..." -ForegroundColor Cyan
            if (Get-Command Install-PSResource -ErrorAction SilentlyContinue) {
                Install-PSResource -Name $Name -Version $Version -Repository PSGallery -Scope CurrentUser -TrustRepository -Quiet -ErrorAction Stop
            }
            else {
                Install-Module -Name $Name -RequiredVersion $Version -Repository PSGallery -Scope CurrentUser -Force -SkipPublisherCheck -ErrorAction Stop
            }
        }
        catch {
            Write-Warning "$Name $Version is not installed and the PowerShell Gallery could not be reached: $($_.Exception.Message)"
            return $false
        }
    }

    Import-Module -Name $Name -RequiredVersion $Version -Force
    return $true
}

if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
    throw 'The .NET SDK (dotnet) is required: see global.json for the version.'
}

foreach ($step in $Task) {
    switch ($step) {
        'Clean' {
            Invoke-Dotnet clean $solution -c $Configuration
            Remove-Item -Recurse -Force (Join-Path $root 'out') -ErrorAction SilentlyContinue
            $built = $false
        }
        'Build' {
            Invoke-Build
        }
        'Test' {
            Invoke-Dotnet test $solution -c $Configuration
            $built = $true
            if (Use-GalleryModule -Name Pester -Version $pinned.Pester) {
                $configuration = New-PesterConfiguration
                $configuration.Run.Path = Join-Path (Join-Path $root 'tests') 'Pester'
                $configuration.Run.PassThru = $true
                $configuration.Output.Verbosity = 'Detailed'
                $result = Invoke-Pester -Configuration $configuration
                if ($result.FailedCount -gt 0) { throw "The Pester suite failed: $($result.FailedCount) test(s)." }
            }
            else {
                $skipped.Add("the Pester suite (Pester $($pinned.Pester) unavailable); dotnet test ran")
            }
        }
        'Docs' {
            Invoke-Build
            if (Use-GalleryModule -Name platyPS -Version $pinned.platyPS) {
                $pages = Get-ChildItem (Join-Path (Join-Path $root 'docs') 'cmdlets') -Filter '*.md' |
                    Where-Object { $_.Name -like '*-*.md' -or $_.Name -like 'about_*.md' }
                New-ExternalHelp -Path $pages.FullName -OutputPath (Join-Path $moduleDir 'en-US') -Force | Out-Null
                Write-Host "Help compiled by platyPS into $(Join-Path $moduleDir 'en-US')" -ForegroundColor Green
            }
            else {
                $skipped.Add("platyPS help (platyPS $($pinned.platyPS) unavailable); the build's own compilation of docs/cmdlets stands")
            }
        }
        'Package' {
            Invoke-Build
            New-Item -ItemType Directory -Force -Path $packageDir | Out-Null
            Get-ChildItem $packageDir -Filter 'PartnerCenterUsage.*.nupkg' | Remove-Item -Force
            if (Get-Command Publish-PSResource -ErrorAction SilentlyContinue) {
                if (-not (Get-PSResourceRepository -Name $localRepository -ErrorAction SilentlyContinue)) {
                    Register-PSResourceRepository -Name $localRepository -Uri $packageDir -Trusted
                }

                Publish-PSResource -Path $moduleDir -Repository $localRepository
            }
            else {
                if (-not (Get-PSRepository -Name $localRepository -ErrorAction SilentlyContinue)) {
                    Register-PSRepository -Name $localRepository -SourceLocation $packageDir -PublishLocation $packageDir -InstallationPolicy Trusted
                }

                Publish-Module -Path $moduleDir -Repository $localRepository -NuGetApiKey 'local'
            }

            $package = Get-ChildItem $packageDir -Filter 'PartnerCenterUsage.*.nupkg' | Select-Object -First 1
            Write-Host "Package: $($package.FullName)" -ForegroundColor Green
            Write-Host "Install it with: Install-PSResource PartnerCenterUsage -Repository $localRepository" -ForegroundColor Green
        }
    }
}

if ($skipped.Count -gt 0) {
    Write-Warning ("Skipped: " + ($skipped -join '; ') + '.')
}
