#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    The suite's own promises: the simulator it starts is the built one, started directly, and gone when stopped; a
    process the suite leaves running is found (Invoke-PesterSuite.ps1 fails the run on it).
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
}

Describe 'Start-TestSimulator' {
    It 'starts the built simulator itself, not through dotnet run, and Stop-TestSimulator ends it' {
        $simulator = Start-TestSimulator -Customers 2
        try {
            $simulator.Process.CommandLine | Should -Match ([regex]::Escape((Get-BuiltSimulator)))
            $simulator.Process.CommandLine | Should -Not -Match 'dotnet run'
            Get-SimulatorRequestCount $simulator | Should -Be 0
        }
        finally { Stop-TestSimulator $simulator }

        $simulator.Process.HasExited | Should -BeTrue
        Get-Process -Id $simulator.Process.Id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'ends the simulator with the shell that started it, whatever happens to the shell' {
        $pidFile = Join-Path $TestDrive 'simulator.pid'
        $shell = Invoke-ChildShell -Script @"
. '$(Join-Path $PSScriptRoot 'TestSupport.ps1')'
`$simulator = Start-TestSimulator -Customers 1
Set-Content -Path '$pidFile' -Value `$simulator.Process.Id
[Environment]::Exit(3)
"@
        $shell.ExitCode | Should -Be 3 -Because $shell.Text
        $id = [int](Get-Content $pidFile)
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while ((Get-Process -Id $id -ErrorAction SilentlyContinue) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        Get-Process -Id $id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Get-SuiteProcess' {
    It 'finds a process of the run still running, and only those' -Skip:(-not $IsLinux) {
        $marker = [guid]::NewGuid().ToString('N')
        $left = Start-Process -FilePath sleep -ArgumentList 60 -Environment @{ PARTNERCENTERUSAGE_SUITE_RUN = $marker } -PassThru
        $other = Start-Process -FilePath sleep -ArgumentList 60 -PassThru
        try {
            (Get-SuiteProcess -Marker $marker).Id | Should -Be $left.Id
        }
        finally { $left, $other | Stop-Process -Force }
        $left.WaitForExit()

        Get-SuiteProcess -Marker $marker | Should -BeNullOrEmpty
    }
}
