{
  "targets": [
    {
      "target_name": "folder_watch",
      "sources": [
        "src/folder-watch.c"
      ],
      "cflags": [
        "-O2",
        "-Wall",
        "-Wextra",
        "-std=gnu11"
      ],
      "libraries": [
        "-lpthread"
      ],
      "include_dirs": [
        "../common"
      ]
    }
  ]
}
