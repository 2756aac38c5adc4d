from nkwatch.cli import main

main()
