#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    tests/Windows/Test-WindowsPowerShell.ps1, the check a maintainer runs in Windows PowerShell 5.1, kept working where
    it can run here: in this pwsh, with -AllowOtherEdition, against the built module and simulator. Every step but the
    Windows-only ones must pass, so the script does not rot before someone runs it on Windows.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:Check = Join-Path $script:RepoRoot 'tests' 'Windows' 'Test-WindowsPowerShell.ps1'
}

Describe 'The Windows PowerShell 5.1 check' {
    It 'refuses to run outside Windows PowerShell 5.1 unless it is told to' {
        $result = Invoke-ChildShell -Script "& '$script:Check'; exit `$LASTEXITCODE"

        $result.ExitCode | Should -Be 2 -Because $result.Text
        $result.Text | Should -Match 'Windows PowerShell 5\.1'
    }

    It 'passes every step it can run in PowerShell 7, one line each, and skips the Windows-only ones' {
        $result = Invoke-ChildShell -Script "& '$script:Check' -AllowOtherEdition -ModulePath '$(Get-BuiltModule)' -SimulatorPath '$(Get-BuiltSimulator)'; exit `$LASTEXITCODE"

        $result.ExitCode | Should -Be 0 -Because $result.Text
        $lines = $result.Text -split "`n" | ForEach-Object { $_.TrimEnd() }
        @($lines | Where-Object { $_ -like 'FAIL *' }) | Should -BeNullOrEmpty
        # Each step says what it saw after its name.
        @($lines | Where-Object { $_ -match '^PASS (Get-PCCustomer: \d+ customers|Export-PCLicenseReport -Baseline: |Import-PCLicenseReport: \d+ figures|Connect-PCPartner -ApplicationId )' }).Count | Should -Be 4
        @($lines | Where-Object { $_ -like 'SKIP Engine and dependencies loaded from Dependencies\Desktop*' }).Count | Should -Be 1
        $lines | Where-Object { $_ -match '^\d+ passed, 0 failed, \d+ skipped$' } | Should -Not -BeNullOrEmpty
    }
}
