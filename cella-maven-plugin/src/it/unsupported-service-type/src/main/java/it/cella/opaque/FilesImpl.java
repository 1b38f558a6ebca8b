package it.cella.opaque;

import java.io.File;

public final class FilesImpl implements Files {
  @Override
  public long size(File file) {
    return file.length();
  }
}
