using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace FlinkBeam.Hosting;

/// <summary>An image this library builds from a Dockerfile, under a real name and tag, with its build arguments.</summary>
internal static class ContainerImageBuildExtensions
{
    /// <summary>
    /// Builds the container's image from <paramref name="dockerfile"/> in <paramref name="context"/> with
    /// <paramref name="arguments"/> and names it <paramref name="image"/>:<paramref name="tag"/> for running and for
    /// publishing alike. WithDockerfile needs an image to attach the build to and then names it after the resource with a
    /// random tag (as AddDockerfile does), so the image is named before and after it.
    /// </summary>
    public static IResourceBuilder<T> WithImageBuild<T>(
        this IResourceBuilder<T> container,
        string context,
        string? dockerfile,
        string image,
        string tag,
        IEnumerable<KeyValuePair<string, string>> arguments)
        where T : ContainerResource
    {
        container.WithImage(image, tag).WithDockerfile(context, dockerfile).WithImage(image, tag);
        foreach (var (argument, value) in arguments)
        {
            container.WithBuildArg(argument, value);
        }

        var build = container.Resource.Annotations.OfType<DockerfileBuildAnnotation>().Last();
        build.ImageName = image;
        build.ImageTag = tag;
        return container;
    }
}
