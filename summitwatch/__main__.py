from summitwatch.cli import main

main()
