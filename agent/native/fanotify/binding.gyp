{
  "targets": [
    {
      "target_name": "fanotify",
      "sources": [
        "src/fanotify.c"
      ],
      "cflags": [
        "-O2",
        "-Wall",
        "-Wextra",
        "-std=gnu11"
      ],
      "libraries": [
        "-lpthread",
        "-lm"
      ],
      "include_dirs": [
        "../common"
      ]
    }
  ]
}
