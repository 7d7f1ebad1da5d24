using System.Text.RegularExpressions;
using FlinkBeam.Cluster.Versions;
using FlinkBeam.Testing;

namespace FlinkBeam.Cluster.Tests;

public partial class RequirementsPinTests
{
    [Fact]
    public void Pipelines_requirements_pin_the_default_beam_release()
    {
        var path = Path.Combine(RepositoryPaths.Pipelines, "requirements.txt");
        Assert.True(File.Exists(path), $"{path} does not exist; it must pin apache-beam=={VersionDefaults.Beam}.");

        var beamLines = File.ReadLines(path)
            .Select(line => line.Split('#')[0].Trim())
            .Where(line => BeamRequirement().IsMatch(line))
            .ToList();
        Assert.True(
            beamLines.Count == 1,
            $"{path} must name apache-beam exactly once (apache-beam=={VersionDefaults.Beam}); found {beamLines.Count} lines: {string.Join(" | ", beamLines)}.");
        var line = beamLines[0];
        var pin = BeamPin().Match(line);
        Assert.True(pin.Success, $"{path} names apache-beam as '{line}'; it must pin it exactly: apache-beam=={VersionDefaults.Beam}.");

        Assert.Equal(VersionDefaults.Beam, pin.Groups["version"].Value);
        Assert.Equal(ClusterImages.PipRequirement(VersionSet.Default), $"apache-beam=={pin.Groups["version"].Value}");
    }

    [GeneratedRegex(@"^apache[-_.]beam(?![A-Za-z0-9_.-])", RegexOptions.IgnoreCase)]
    private static partial Regex BeamRequirement();

    [GeneratedRegex(@"^apache[-_.]beam(\[[^\]]*\])?\s*==\s*(?<version>[0-9][^\s;,]*)\s*(;.*)?$", RegexOptions.IgnoreCase)]
    private static partial Regex BeamPin();
}
