/**
 * ImageJ 1 at the edge of the core: decoding image files with ImageJ's readers ({@link sc.fiji.clip.imagej.ImageReader},
 * the only TIFF reader on Maven Central), an {@code ImagePlus}'s planes as displayed in the core's types
 * ({@link sc.fiji.clip.imagej.ImagePlanes}), ROI files and ROIs as regions, and label maps and colour results as
 * ImageJ images and files. The labelling, search, tile and region code takes ImgLib2 views and {@code RgbImage}s
 * and imports nothing of ImageJ; only this package and the two shells ({@code fiji}, {@code cli}) do.
 */
package sc.fiji.clip.imagej;
